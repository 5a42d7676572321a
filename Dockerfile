# The services image (FastAPI + uvicorn); CouchDB itself is the official image (compose.yaml).
FROM python:3.11-slim
WORKDIR /srv
# Logs reach `docker compose logs` at once. The same image runs the services, the auditor, the
# backup worker and the cluster set-up job (compose.yaml picks the command).
ENV PYTHONUNBUFFERED=1
COPY pyproject.toml ./
COPY services ./services
COPY validators ./validators
COPY design_docs ./design_docs
RUN pip install --no-cache-dir .
USER nobody
EXPOSE 8000
# --no-proxy-headers: the services pick the client address themselves, trusting X-Forwarded-For
# only from FORWARDED_ALLOW_IPS (uvicorn would trust it from any loopback peer).
CMD ["uvicorn", "--factory", "shopbill.services.api.main:create_app", "--host", "0.0.0.0", "--port", "8000", "--no-proxy-headers"]
