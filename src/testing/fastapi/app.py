"""A FastAPI app like the ones specgate's gateway stands in front of: one happy path, one model
that disagrees with the gateway's contract (422), one unhandled exception (500), and a route
only reached through Starlette's trailing-slash redirect (307 to its own origin)."""
from typing import Optional

from fastapi import FastAPI, Header, Request
from pydantic import BaseModel

app = FastAPI()


class NewItem(BaseModel):
    name: str
    price: float


@app.get("/api/items/{item_id}")
def get_item(item_id: str, x_user_id: Optional[str] = Header(default=None)):
    return {"id": item_id, "name": f"seen by FastAPI as {x_user_id or 'nobody'}"}


@app.post("/api/items", status_code=201)
def create_item(item: NewItem):
    return {"id": "new", "name": item.name}


@app.get("/api/cases/{case}")
def get_case(case: str):
    if case == "crash":
        settings = {}
        return {"id": settings["DATABASE_PASSWORD"], "name": case}
    return {"id": case, "name": "fine"}


@app.get("/api/folders/")
def list_folders(request: Request):
    return {"id": "folders", "name": str(request.url_for("list_folders"))}
