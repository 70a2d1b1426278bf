# Debian's Janus with the project's VideoRoom config (scripts/testbed/janus), rendered at start
# for the container's own address: the meeting server of docker/compose.yaml.
FROM debian:12-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends janus=1.1.* \
    && rm -rf /var/lib/apt/lists/*
COPY scripts/testbed/janus-config /usr/local/lib/tessera/janus-config
COPY scripts/testbed/janus /usr/local/lib/tessera/janus
EXPOSE 8188
# libnice skips loopback interfaces: ICE and the WebSocket use the address of eth0.
CMD ["/bin/bash", "-c", "address=$(hostname -i | cut -d ' ' -f 1) && exec janus -F \"$(/usr/local/lib/tessera/janus-config --address \"$address\" --workdir /tmp/janus --rtp-ports 20000-20099)\" -C /tmp/janus/janus.jcfg"]
