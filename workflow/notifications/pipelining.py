"""SMTP command pipelining (RFC 2920) for the outbox's sends: with a server that
advertises PIPELINING in its EHLO answer (Postfix, Exim and Exchange do by default), a
message's MAIL, RCPT and DATA commands go out in one write and their replies are read
together, one round trip where smtplib waits for three. The message's data and its end
follow as before, after the server's 354 (RFC 2920, section 3.1: DATA is the last command
of a group). Without the extension, with options, or with a connection class that
has a sendmail of its own, that sendmail runs.

`sendmail` is smtplib's, with the same arguments, return value and exceptions
(SMTPSenderRefused, SMTPRecipientsRefused, SMTPDataError), the connection closed after a
421 and reset after any other refusal, so the outbox's `classify` reads its failures
alike."""

import functools
import smtplib

CRLF = b"\r\n"


@functools.lru_cache(maxsize=1024)
def _quoted(address):
    """smtplib.quoteaddr: a pure function of the address, which every message of a batch
    repeats (the sender), parsed by the email package each time (7 µs)."""
    return smtplib.quoteaddr(address)


def sendmail(smtp, from_addr, to_addrs, msg, mail_options=(), rcpt_options=()):
    """smtplib.SMTP.sendmail(from_addr, to_addrs, msg) on `smtp`, its envelope pipelined
    when the server allows it."""
    smtp.ehlo_or_helo_if_needed()
    own = type(smtp).sendmail  # a connection class of one's own keeps its sendmail
    plain = own is smtplib.SMTP.sendmail and not (mail_options or rcpt_options)
    if not plain or not smtp.has_extn("pipelining"):
        return own(smtp, from_addr, to_addrs, msg, mail_options, rcpt_options)
    if isinstance(msg, str):
        msg = smtplib._fix_eols(msg).encode("ascii")
    if isinstance(to_addrs, str):
        to_addrs = [to_addrs]
    size = f" size={len(msg)}" if smtp.has_extn("size") else ""  # as smtplib's MAIL
    smtp.send(
        f"mail from:{_quoted(from_addr)}{size}\r\n"
        + "".join(f"rcpt to:{_quoted(to)}\r\n" for to in to_addrs)
        + "data\r\n"
    )
    # Every reply of the group is read, in order, before acting on any (section 3.1).
    mail = smtp.getreply()
    if mail[0] == 421:  # the server is closing the connection: no further replies
        smtp.close()
        raise smtplib.SMTPSenderRefused(*mail, from_addr)
    refused = {}
    for to in to_addrs:
        code, resp = smtp.getreply()
        if code not in (250, 251):
            refused[to] = (code, resp)
        if code == 421:
            smtp.close()
            raise smtplib.SMTPRecipientsRefused(refused)
    data = smtp.getreply()
    if mail[0] != 250 or len(refused) == len(to_addrs):
        _no_message(smtp, data)
        if mail[0] != 250:
            raise smtplib.SMTPSenderRefused(*mail, from_addr)
        raise smtplib.SMTPRecipientsRefused(refused)
    if data[0] != 354:
        raise smtplib.SMTPDataError(*data)
    return _message(smtp, msg, refused)


def _no_message(smtp, data):
    """The envelope was refused but the server may still have said 354 to DATA: an empty
    message's end, which it must refuse (section 3.1), then RSET, as smtplib does."""
    if data[0] == 354:
        smtp.send(b"." + CRLF)
        smtp.getreply()
    smtp._rset()


def _message(smtp, msg, refused):
    """The data and its end in one write (as smtplib.SMTP.data: the outbox holds the end
    of data back until the previous record is committed), then the server's answer."""
    quoted = smtplib._quote_periods(msg)
    if quoted[-2:] != CRLF:
        quoted += CRLF
    smtp.send(quoted + b"." + CRLF)
    code, resp = smtp.getreply()
    if code != 250:
        if code == 421:
            smtp.close()
        else:
            smtp._rset()
        raise smtplib.SMTPDataError(code, resp)
    return refused
