"""Sample texts and paths shared by the tests (one place, instead of strings pasted into many tests)."""
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpora" / "labelled"

CHAT_ROLES = """Chat started
[10:02] Agent: Hello, thank you for contacting Brightwave. My name is Sam, how can I help?
[10:03] Customer: Hi, my broadband keeps dropping out
every evening around 7pm.
[10:04] Agent: I'm sorry to hear it keeps dropping out, that must be frustrating. Note: this may take a minute.
Could you confirm your postcode?
[10:09] Customer: LS6 2AB
Customer left the chat
"""

CHAT_EXPORT = """Sam (Advisor) 10:02
Hi Priya, you're through to Sam at Northgate Energy. How can I help?

Priya Shah 10:03
My bill is massive this month

Sam (Advisor) 10:04
I'm sorry about that. Let me check.
"""

CHAT_NAMES = """Sam: Hi, thanks for contacting Kestrel Home Stores, how can I help today?
Priya: where is my order
Sam: Let me check that for you.
Priya: ok
"""

CHAT_NO_CUES = """Sam: the weather is nice
Priya: yes it is
Sam: lovely
Priya: indeed
"""

EMAIL_THREAD = """From: Sam Patel <sam.patel@northgate-energy.example>
To: Priya Shah <priya.shah@example.com>
Subject: Re: Estimated bill
Date: Tue, 3 Mar 2026 10:15

Dear Ms Shah,

Thank you for your email. I recieve many of these.

Kind regards,
Sam Patel

On Mon, 2 Mar 2026 at 18:40, Priya Shah <priya.shah@example.com> wrote:
> Hello,
> My bill is wrong.
>
> Priya
"""

EMAIL_OUTLOOK = """From: Tom Baines <tom.baines@westbridge.example>
Subject: RE: Parking permit

Dear Ms Cole,

Your permit was posted on 2 March.

Kind regards,
Tom Baines

-----Original Message-----
From: Ann Cole <ann.cole@example.com>
Sent: 1 March 2026 09:00
To: permits@westbridge.example
Subject: Parking permit

Where is my permit? I applied a month ago.

Ann
"""

EMAIL_BODY_ONLY = """Dear Mr Hartley,

Your refund of £15 has been processed today.

Kind regards,
Joanna Clarke
"""

JSON_CHAT = """{"channel": "chat", "messages": [
  {"role": "agent", "text": "Hello, how can I help?", "time": "10:02"},
  {"role": "customer", "text": "My parcel is late.", "time": "10:03"},
  {"role": "agent", "text": "I'm sorry your parcel is late. Let me check.", "time": "10:04"}
]}"""

EML_HTML_ONLY = b"""From: Helen Ashworth <helen.ashworth@westbridge.example>
To: Raj Patel <raj.patel@example.com>
Subject: Re: Blue badge renewal
Date: Wed, 4 Mar 2026 09:30:00 +0000
Message-ID: <1@westbridge.example>
MIME-Version: 1.0
Content-Type: text/html; charset="utf-8"

<html><body><p>Dear Mr Patel,</p><p>Your blue badge renewal has been approved.</p>
<p>Kind regards,<br>Helen Ashworth</p>
<blockquote><p>Hello, when will my badge arrive?</p><p>Raj</p></blockquote></body></html>
"""

EML_MULTIPART = b"""From: Sam Patel <sam@northgate.example>
To: Priya Shah <priya@example.com>
Subject: Re: Bill
Date: Wed, 4 Mar 2026 09:30:00 +0000
MIME-Version: 1.0
Content-Type: multipart/alternative; boundary="XYZ"

--XYZ
Content-Type: text/plain; charset="utf-8"

Dear Ms Shah,

Your refund is on its way.

Kind regards,
Sam Patel
--XYZ
Content-Type: text/html; charset="utf-8"

<p>Dear Ms Shah,</p><p>Your refund is on its way.</p>
--XYZ--
"""

STRONG_CHAT = """Agent: Hello, you're through to Sam at Brightwave Broadband. How can I help today?
Customer: Hi, my broadband keeps dropping out every evening and I'm really fed up.
Agent: I'm sorry your broadband keeps dropping out in the evenings, that must be frustrating. Before I look at your account, please could you confirm your postcode and date of birth?
Customer: LS6 2AB, 3 May 1980
Agent: Thank you for confirming, Priya. Just to check I've understood, it drops out every evening but is fine during the day?
Customer: Yes, that's right.
Agent: I can see a fault on your line, so I've booked an engineer for Thursday between 8am and 1pm. Your reference is BRW88214.
Customer: Great, thanks.
Agent: Does that all make sense?
Customer: Yes, all clear.
Agent: Thank you for contacting Brightwave, Priya. Have a lovely evening.
"""

WEAK_CHAT = """Agent: Order number?
Customer: KS-4471093. My parcel still hasn't arrived and I'm really fed up!!
Agent: What's the order number?
Customer: I just gave it you. KS-4471093
Agent: Calm down. Can u give me the long card number so I can take payment for redelivery?
Customer: I want to speak to a manager.
Agent: Managers don't take chats.
"""
