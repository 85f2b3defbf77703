"""Run by tests/api/test_official_client.py with the platform's official Python client
(`infobip-cpaasx==0.0.2`, pydantic<2) in its own environment, against a running `cpaasx serve`:
provision an application, an entity and an association, send to three numbers with
applicationId/entityId, pull the three delivery reports, read the logs and the inbox. Prints one
JSON object of what it saw."""

import json
import sys
import time
import urllib.request

from infobip_cpaasx import ApiClient, ApplicationApi, Configuration, EntityApi, ResourceAssociationApi, SmsApi
from infobip_cpaasx.models.application import Application
from infobip_cpaasx.models.channel import Channel
from infobip_cpaasx.models.entity import Entity
from infobip_cpaasx.models.resource_association_request import ResourceAssociationRequest
from infobip_cpaasx.models.resource_type import ResourceType
from infobip_cpaasx.models.sms_advanced_textual_request import SmsAdvancedTextualRequest
from infobip_cpaasx.models.sms_destination import SmsDestination
from infobip_cpaasx.models.sms_preview_request import SmsPreviewRequest
from infobip_cpaasx.models.sms_textual_message import SmsTextualMessage

host, secret, number = sys.argv[1], sys.argv[2], sys.argv[3]
config = Configuration(host=host, api_key={"APIKeyHeader": secret}, api_key_prefix={"APIKeyHeader": "App"})
client = ApiClient(config)
out = {}

ApplicationApi(client).create_application(Application(application_id="shop", application_name="Shop"))
EntityApi(client).create_entity(Entity(entity_id="bigcola", entity_name="BigCola"))
ResourceAssociationApi(client).create_resource_association(ResourceAssociationRequest(
    resource_type=ResourceType.NUMBER, channel=Channel.SMS, application_id="shop", entity_id="bigcola",
    resource_id=number))
# The client (0.0.2) has no sending-strategy API: that one call is plain HTTP.
strategy = {"platform": {"applicationId": "shop", "entityId": "bigcola"}, "channel": "SMS", "destinationCountryCode": "US"}
urllib.request.urlopen(urllib.request.Request(
    host + "/provisioning/2/sending-strategies", data=json.dumps(strategy).encode(), method="POST",
    headers={"Authorization": "App " + secret, "Content-Type": "application/json"}), timeout=10).read()
out["applications"] = sorted(a.application_id for a in ApplicationApi(client).get_applications().results)

sms = SmsApi(client)
sent = sms.send_sms_message(SmsAdvancedTextualRequest(messages=[SmsTextualMessage(
    application_id="shop", entity_id="bigcola", text="Hello from the official client",
    destinations=[SmsDestination(to=n) for n in ("14155550131", "14155550132", "14155550133")])]))
out["bulkId"] = sent.bulk_id
out["sent"] = [[m.message_id, m.to, m.status.name] for m in sent.messages]
out["preview"] = [[p.message_count, p.characters_remaining] for p in sms.preview_sms_message(
    SmsPreviewRequest(text="a" * 161)).previews]

reports, deadline = [], time.time() + 30
while len(reports) < 3 and time.time() < deadline:
    reports += sms.get_outbound_sms_message_delivery_reports(bulk_id=sent.bulk_id, limit=10).results or []
    time.sleep(0.3)
out["reports"] = sorted([r.message_id, r.to, r.var_from, r.status.group_name, r.done_at is not None]
                        for r in reports)
out["reportsAgain"] = len(sms.get_outbound_sms_message_delivery_reports(bulk_id=sent.bulk_id).results or [])
logs = sms.get_outbound_sms_message_logs(bulk_id=[sent.bulk_id]).results
out["logs"] = sorted([l.message_id, l.to, l.var_from, l.status.group_name, l.sent_at is not None] for l in logs)
out["inbox"] = [m.message_id for m in sms.get_inbound_sms_messages(limit=10).results or []]
print(json.dumps(out))
