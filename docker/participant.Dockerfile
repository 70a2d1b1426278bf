# A publishing test participant (scripts/testbed/participant.py, aiortc): a known moving
# picture and tone per index, for docker/compose.yaml. ICE uses the container's own address.
FROM python:3.11-slim-bookworm
RUN pip install --no-cache-dir aiortc==1.* numpy==1.*
COPY scripts/testbed/participant.py /usr/local/bin/participant.py
ENTRYPOINT ["/bin/sh", "-c", "exec python3 /usr/local/bin/participant.py --bind-address \"$(hostname -i | cut -d ' ' -f 1)\" \"$@\"", "participant"]
