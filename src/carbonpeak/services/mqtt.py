"""MQTT subscriber for gateways of key energy-using units (Mosquitto or any MQTT 3.1.1 broker).

A gateway publishes a batch (the same JSON envelope as the HTTP endpoint, with its unit's token in
``token``) to ``carbonpeak/<USCC>/readings`` at QoS 1, and receives the result on
``carbonpeak/<USCC>/ack`` (echoing ``messageId``); ``carbonpeak`` is the topic root, which a
deployment sharing its broker with others (or a test run) can change. The subscription uses a persistent session
(clean_session false, fixed client id), so batches published while the subscriber is down are
delivered when it is back; a batch redelivered after a crash is stored once (ingestion is
idempotent per point, period and statistic type).
"""

from __future__ import annotations

import logging
import threading
from typing import Any

import msgspec
import paho.mqtt.client as mqtt

from . import ingest
from .errors import CarbonPeakError, InputRejected
from .platform import Platform

ROOT = "carbonpeak"  # topics: <root>/<USCC>/readings in, <root>/<USCC>/ack out
log = logging.getLogger(__name__)
_encode = msgspec.json.Encoder().encode


def handle(platform: Platform, topic: str, payload: bytes, lang: str = "zh",
           root: str = ROOT) -> tuple[str, dict[str, Any]]:
    """Ingest one published batch; returns the ack topic and the result."""
    parts = topic.removeprefix(f"{root}/").split("/")
    uscc = parts[0] if len(parts) == 2 else ""
    ack = f"{root}/{uscc}/ack"
    message_id = ""
    try:
        env = ingest.decode(payload, source="mqtt")  # the answer goes to the topic's ack: no need to name it
        message_id = env.message_id
        sender = ingest.authenticate(platform, env.token)
        if sender.uscc != uscc:
            raise InputRejected([])  # the token belongs to another unit than the topic names
        result = msgspec.to_builtins(ingest.ingest(platform, sender, env, "mqtt", lang))
    except InputRejected as exc:
        detail = exc.messages(lang) or [f"topic {topic} does not match the token's unit / 主题与令牌所属单位不符"]
        result = {"error": "rejected", "detail": detail}
    except CarbonPeakError as exc:
        result = {"error": type(exc).__name__, "detail": [str(exc)]}
    except Exception:  # one bad message must not stop the subscriber (QoS 1 would redeliver it forever)
        log.exception("MQTT message on %s could not be processed", topic[:200])
        result = {"error": "internal", "detail": ["处理失败，已记录 / the batch could not be processed; it was logged"]}
    return ack, {"messageId": message_id, **result}


class Subscriber:
    def __init__(self, platform: Platform, host: str = "127.0.0.1", port: int = 1883,
                 client_id: str = "carbonpeak-ingest", lang: str = "zh", root: str = ROOT):
        self.platform, self.lang, self.root = platform, lang, root
        self.connected = threading.Event()
        self.client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=client_id, clean_session=False)
        self.client.on_connect = self._on_connect
        self.client.on_message = self._on_message
        self.host, self.port = host, port

    def _on_connect(self, client, userdata, flags, reason_code, properties):
        client.subscribe(f"{self.root}/+/readings", qos=1)
        self.connected.set()

    def _on_message(self, client, userdata, msg):
        ack, result = handle(self.platform, msg.topic, msg.payload, self.lang, self.root)
        client.publish(ack, _encode(result), qos=1)

    def start(self) -> None:
        """Connect and process messages on a background thread."""
        self.client.connect(self.host, self.port)
        self.client.loop_start()

    def run_forever(self) -> None:
        self.client.connect(self.host, self.port)
        self.client.loop_forever()

    def stop(self) -> None:
        self.client.loop_stop()
        self.client.disconnect()
