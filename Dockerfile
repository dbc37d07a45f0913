FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
# Scanned letters are read by OCR with Tesseract's Dutch model (letters/parser/ocr.py).
RUN apt-get update && apt-get install -y --no-install-recommends tesseract-ocr tesseract-ocr-nld \
    && rm -rf /var/lib/apt/lists/*
COPY pyproject.toml README.md ./
RUN pip install --no-cache-dir --upgrade pip
COPY . .
RUN pip install --no-cache-dir -e .
# Named volumes mounted here (media, static) start with these folders' owner.
RUN useradd --create-home griffie && mkdir -p /data/media /data/static && chown -R griffie /data /app
USER griffie
EXPOSE 8000
CMD ["gunicorn", "-c", "deploy/gunicorn.conf.py", "config.wsgi:application"]
