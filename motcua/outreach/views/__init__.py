"""Pages of the outreach kit, one module per part (posters, bulletins, schedule); thin: access, form,
service, answer."""
