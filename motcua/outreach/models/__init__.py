"""The outreach kit's tables, one module per part, so that each part can grow on its own:

- `places`: the villages (thôn, xóm) of a commune, where bulletins are aired and people are visited;
- `bulletins`: loudspeaker bulletins (script, audio, recording), their broadcast schedule and its log;
- `uptake`: what tagged links brought, counted per campaign, channel, step and day;
- `campaigns`: the campaigns those links belong to, and their message to citizens who asked for news.
"""

from .bulletins import Broadcast, Bulletin, RenderState
from .campaigns import Campaign, SendState
from .places import Village
from .uptake import Step, Uptake

__all__ = ["Broadcast", "Bulletin", "Campaign", "RenderState", "SendState", "Step", "Uptake", "Village"]
