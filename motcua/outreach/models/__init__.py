"""The outreach kit's tables, one module per part, so that each part can grow on its own:

- `places`: the villages (thôn, xóm) of a commune, where bulletins are aired and people are visited;
- `bulletins`: loudspeaker bulletins (script, audio, recording), their broadcast schedule and its log.
"""

from .bulletins import Broadcast, Bulletin, RenderState
from .places import Village

__all__ = ["Broadcast", "Bulletin", "RenderState", "Village"]
