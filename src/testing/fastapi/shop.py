"""A FastAPI app written as teams write them, for the gateway in front of it with the contract
FastAPI itself publishes at /openapi.json: Pydantic models with optional fields left null, naive
datetimes, an enum and a nested model; a list endpoint with query parameters; HTTPBearer on the
writes and on /me (reads are public); a validator FastAPI's schema cannot show; an unhandled
exception; an absolute redirect built with url_for; and a WebSocket route, which FastAPI leaves
out of its document."""
import os
from datetime import datetime
from enum import Enum
from typing import List, Optional

import jwt
from fastapi import Depends, FastAPI, HTTPException, Query, Request, WebSocket
from fastapi.responses import RedirectResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, validator

app = FastAPI(title="Shop (FastAPI)", version="1.0.0")
bearer = HTTPBearer()
SECRET = os.environ.get("JWT_SECRET", "")


@app.middleware("http")
async def forwarded_host(request: Request, call_next):
    """Absolute URLs (url_for) name the host the client used: the gateway's X-Forwarded-Host."""
    host = request.headers.get("x-forwarded-host")
    if host:
        headers = [(k, v) for k, v in request.scope["headers"] if k != b"host"]
        request.scope["headers"] = headers + [(b"host", host.encode("latin-1"))]
    return await call_next(request)


class Status(str, Enum):
    draft = "draft"
    active = "active"
    archived = "archived"


class Dimensions(BaseModel):
    width_cm: float
    height_cm: float


class ProductIn(BaseModel):
    name: str
    price: float
    status: Status = Status.draft
    description: Optional[str] = None
    dimensions: Optional[Dimensions] = None

    @validator("name")
    def name_not_reserved(cls, value):
        if value.strip().lower() == "admin":
            raise ValueError("this name is reserved")
        return value


class Product(ProductIn):
    id: int
    created_at: datetime
    owner: str


PRODUCTS = {
    1: Product(id=1, name="Kettle", price=25.0, status=Status.active, created_at=datetime(2026, 1, 2, 3, 4, 5), owner="seed"),
}


def caller(credentials: HTTPAuthorizationCredentials = Depends(bearer)) -> str:
    try:
        claims = jwt.decode(credentials.credentials, SECRET, algorithms=["HS256"])
    except jwt.PyJWTError:
        raise HTTPException(status_code=401, detail="Invalid token")
    return claims["sub"]


@app.get("/products", response_model=List[Product])
def list_products(status: Optional[Status] = None, limit: int = Query(10, ge=1, le=50)):
    found = [p for p in PRODUCTS.values() if status is None or p.status == status]
    return found[:limit]


@app.post("/products", response_model=Product, status_code=201)
def create_product(product: ProductIn, user: str = Depends(caller)):
    created = Product(**product.dict(), id=len(PRODUCTS) + 1, created_at=datetime.utcnow(), owner=user)
    PRODUCTS[created.id] = created
    return created


@app.get("/products/{product_id}", response_model=Product)
def get_product(product_id: int):
    if product_id not in PRODUCTS:
        raise HTTPException(status_code=404, detail="Product not found")
    return PRODUCTS[product_id]


@app.get("/newest")
def newest_product(request: Request):
    return RedirectResponse(request.url_for("get_product", product_id=max(PRODUCTS)), status_code=307)


@app.get("/me")
def me(user: str = Depends(caller)):
    return {"sub": user}


@app.get("/reports/{name}")
def report(name: str):
    totals = {"sales": 3}
    return {"name": name, "total": totals[name]}


@app.websocket("/ws")
async def echo(socket: WebSocket):
    await socket.accept()
    await socket.send_text(await socket.receive_text())
    await socket.close()
