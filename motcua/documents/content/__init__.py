"""What each document says, as format-free `layout.Doc` blocks that `docx_writer` and `pdf_writer` draw.

One module per family: `declarations` (the declaration of any procedure), `slips` (the one-stop slips),
`fee_receipt` (the e-receipt of a paid fee) and `register` (the register of dossiers); `common` holds the
`Source` every builder reads and the parts of Nghị định 30/2020/NĐ-CP they share.
"""
