"""The translating pages' routers, in the order the server includes them."""

from sync_server.translating.check_pages import router as check_router
from sync_server.translating.programme_pages import router as programme_router
from sync_server.translating.translation_pages import router as translation_router

routers = (translation_router, check_router, programme_router)
