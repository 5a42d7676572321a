# The services image (FastAPI + uvicorn); CouchDB itself is the official image (compose.yaml).

# The shop app (app/), built here and shipped inside the wheel as package data (shopbill.app),
# served at /app/. Its build and type check also read the files it imports from outside app/.
FROM node:22-slim AS app
WORKDIR /src/app
COPY app/package.json app/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY app/ ./
COPY shared/numbering.js /src/shared/numbering.js
COPY validators/examples/arithmetic.json /src/validators/examples/arithmetic.json
COPY validators/examples/credit_lines.json /src/validators/examples/credit_lines.json
COPY design_docs/schemas/business.json /src/design_docs/schemas/business.json
RUN npm run build

FROM python:3.11-slim
WORKDIR /srv
# Logs reach `docker compose logs` at once. The same image runs the services, the auditor, the
# backup worker and the cluster set-up job (compose.yaml picks the command).
ENV PYTHONUNBUFFERED=1
# Exactly the folders pyproject.toml maps into the package (tests/test_dockerfile.py checks it);
# the built app lands where package data expects it, app/dist.
COPY pyproject.toml ./
COPY services ./services
COPY validators ./validators
COPY design_docs ./design_docs
COPY app/__init__.py ./app/__init__.py
COPY app/print ./app/print
COPY --from=app /src/app/dist ./app/dist
RUN pip install --no-cache-dir .
USER nobody
EXPOSE 8000
# --no-proxy-headers: the services pick the client address themselves, trusting X-Forwarded-For
# only from FORWARDED_ALLOW_IPS (uvicorn would trust it from any loopback peer).
CMD ["uvicorn", "--factory", "shopbill.services.api.main:create_app", "--host", "0.0.0.0", "--port", "8000", "--no-proxy-headers"]
