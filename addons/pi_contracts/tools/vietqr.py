"""VietQR (NAPAS 247) transfer codes: the EMVCo merchant-presented payload.

``payload(bin, account, amount, purpose)`` gives the text a banking app reads
from the QR code: the receiving bank's NAPAS BIN and account, the amount in
whole đồng and the transfer's note (the contract reference), closed by a
CRC16-CCITT checksum. ``parse`` reads it back, for tests and checks.
"""
import re

GUID_NAPAS = "A000000727"
SERVICE_TO_ACCOUNT = "QRIBFTTA"
CURRENCY_VND = "704"
COUNTRY_VN = "VN"
# what a bank note may hold: banks reject or strip other characters
_PURPOSE_ALLOWED = re.compile(r"[^A-Za-z0-9 ]")


def _tlv(tag, value):
    value = str(value)
    if len(value) > 99:
        raise ValueError(f"VietQR field {tag} is longer than 99 characters")
    return f"{tag}{len(value):02d}{value}"


def crc16_ccitt(text):
    """CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF) as EMVCo specifies, 4 hex digits."""
    crc = 0xFFFF
    for byte in text.encode("utf-8"):
        crc ^= byte << 8
        for _bit in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else crc << 1
            crc &= 0xFFFF
    return f"{crc:04X}"


def clean_purpose(text):
    """A transfer note banks accept: ASCII letters, digits and spaces (diacritics dropped by the caller)."""
    return " ".join(_PURPOSE_ALLOWED.sub(" ", text or "").split())[:25]


def payload(bank_bin, account_number, amount=None, purpose=None):
    """The VietQR payload for a transfer to ``account_number`` at the bank ``bank_bin``.

    :param str bank_bin: the bank's 6-digit NAPAS code
    :param str account_number: the receiving account, digits (and letters some banks use)
    :param int amount: whole đồng; None for a code where the payer types the amount
    :param str purpose: the transfer note (tag 62, subtag 08)
    """
    bank_bin = (bank_bin or "").strip()
    account_number = "".join((account_number or "").split())
    if not re.fullmatch(r"\d{6}", bank_bin):
        raise ValueError("the bank's NAPAS BIN has 6 digits")
    if not re.fullmatch(r"[0-9A-Za-z]{1,19}", account_number):
        raise ValueError("the account number has 1 to 19 letters or digits")
    beneficiary = _tlv("00", bank_bin) + _tlv("01", account_number)
    merchant = _tlv("00", GUID_NAPAS) + _tlv("01", beneficiary) + _tlv("02", SERVICE_TO_ACCOUNT)
    parts = [_tlv("00", "01"), _tlv("01", "12" if amount else "11"), _tlv("38", merchant),
             _tlv("53", CURRENCY_VND)]
    if amount:
        if int(amount) != amount or amount < 0:
            raise ValueError("the amount is a whole, positive number of đồng")
        parts.append(_tlv("54", int(amount)))
    parts.append(_tlv("58", COUNTRY_VN))
    if purpose:
        parts.append(_tlv("62", _tlv("08", purpose)))
    body = "".join(parts) + "6304"
    return body + crc16_ccitt(body)


def parse(text):
    """Read a payload back into ``{tag: value}`` (nested templates 38 and 62 as dicts); checks the CRC.

    :raises ValueError: malformed TLV or a wrong checksum
    """
    if len(text) < 8 or text[-8:-4] != "6304" or crc16_ccitt(text[:-4]) != text[-4:].upper():
        raise ValueError("the VietQR checksum does not match")
    fields = _read_tlv(text)
    for tag in ("38", "62"):
        if tag in fields:
            fields[tag] = _read_tlv(fields[tag])
            if tag == "38" and "01" in fields[tag]:
                fields[tag]["01"] = _read_tlv(fields[tag]["01"])
    return fields


def _read_tlv(text):
    fields, position = {}, 0
    while position < len(text):
        tag, length = text[position:position + 2], text[position + 2:position + 4]
        if len(tag) < 2 or not length.isdigit():
            raise ValueError(f"malformed VietQR field at {position}")
        value = text[position + 4:position + 4 + int(length)]
        if len(value) != int(length):
            raise ValueError(f"VietQR field {tag} is cut short")
        fields[tag] = value
        position += 4 + int(length)
    return fields
