"""What other apps may ask of outreach. The rules live in one module per part:

- `links`: the campaign and channel tag of every outreach link and QR code;
- `posters`: posters (A4) and leaflets (A5) of a procedure, and a set of them in one PDF;
- `bulletins`: loudspeaker bulletins, their script and their sound;
- `schedule`: when and where bulletins are aired, and the log of what went out.
"""

from .bulletins import audio_of, bulletin_for, generated_script, script_of
from .links import Channel, Tag, clean_campaign, tag_of, tagged
from .posters import guide_link, render_set, render_sheet, sheet_for
from .schedule import upcoming

__all__ = [
    "Channel",
    "Tag",
    "audio_of",
    "bulletin_for",
    "clean_campaign",
    "generated_script",
    "guide_link",
    "render_set",
    "render_sheet",
    "script_of",
    "sheet_for",
    "tag_of",
    "tagged",
    "upcoming",
]
