"""Filled requirements that pass the catalogue's checks, shared by the request tests."""

from __future__ import annotations

TEN_DLC = {
    "companyName": "Big Cola Inc",
    "brandName": "BigCola",
    "ein": "12-3456789",
    "vertical": "RETAIL",
    "companyWebsite": "https://bigcola.example.com",
    "contactEmail": "ops@bigcola.example.com",
    "contactPhoneNumber": "+12125550123",
    "campaignUseCase": "ACCOUNT_NOTIFICATION",
    "campaignDescription": "Order and delivery notifications for BigCola customers.",
    "messageFlow": "Customers opt in at checkout on bigcola.example.com by ticking a box.",
    "sampleMessage": "BigCola: your order 123 has shipped. Reply STOP to opt out.",
    "monthlyVolume": "5000",
}

GB_ALPHA = {
    "companyName": "Big Cola Ltd",
    "companyWebsite": "https://bigcola.example.co.uk",
    "contactEmail": "ops@bigcola.example.co.uk",
    "useCase": "Notifications",
    "sampleMessage": "Your BigCola order has shipped.",
}

PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


def ten_dlc(**changes) -> dict:
    return {**TEN_DLC, **changes}
