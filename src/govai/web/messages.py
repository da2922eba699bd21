"""Every interface string of the web pages: key -> (English, Welsh). See i18n.py."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    # --- the page around every page -------------------------------------------------
    "site.name": ("GovAI assistants", "Cynorthwywyr GovAI"),
    "site.skip_link": ("Skip to main content", "Neidio i'r prif gynnwys"),
    "site.menu": ("Menu", "Dewislen"),
    "site.service_information": ("Service information", "Gwybodaeth am y gwasanaeth"),
    "site.phase": ("Beta", "Beta"),
    "site.phase_html": (
        'This is a new service. Your <a class="govuk-link" href="/privacy">feedback on answers</a> helps us to '
        "improve it.",
        'Mae hwn yn wasanaeth newydd. Mae eich <a class="govuk-link" href="/privacy">adborth ar atebion</a> yn '
        "ein helpu i\u2019w wella.",
    ),
    "site.language_nav": ("Language", "Iaith"),
    "site.error_prefix": ("Error:", "Gwall:"),
    "site.error_summary": ("There is a problem", "Mae problem wedi codi"),
    "site.success": ("Success", "Llwyddiant"),
    "site.warning": ("Warning", "Rhybudd"),
    "site.back": ("Back", "Yn ôl"),
    "site.support_links": ("Support links", "Dolenni cymorth"),
    "site.privacy": ("Privacy", "Preifatrwydd"),
    "site.cookies": ("Cookies", "Cwcis"),
    "site.accessibility": ("Accessibility statement", "Datganiad hygyrchedd"),
    "site.staff": ("Staff sign in", "Mewngofnodi staff"),
    "site.licence_html": (
        'All content is available under the <a class="govuk-footer__link" '
        'href="https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/" rel="license">'
        "Open Government Licence v3.0</a>, except where otherwise stated",
        'Mae\u2019r holl gynnwys ar gael o dan y <a class="govuk-footer__link" '
        'href="https://www.nationalarchives.gov.uk/doc/open-government-licence-cymraeg/version/3/" rel="license">'
        "Drwydded Llywodraeth Agored v3.0</a>, oni nodir yn wahanol",
    ),
    "site.copyright": ("© Crown copyright", "© Hawlfraint y Goron"),
    # --- the list of services ----------------------------------------------------------
    "index.title": ("Ask a government assistant", "Gofyn i gynorthwyydd y llywodraeth"),
    "index.intro": (
        "These assistants answer questions using official guidance, and link to the pages they used.",
        "Mae\u2019r cynorthwywyr hyn yn ateb cwestiynau gan ddefnyddio canllawiau swyddogol, ac yn rhoi dolen i\u2019r "
        "tudalennau a ddefnyddiwyd ganddynt.",
    ),
    "index.none": ("There are no assistants to show.", "Does dim cynorthwywyr i\u2019w dangos."),
    "index.unavailable": ("Not available at the moment", "Ddim ar gael ar hyn o bryd"),
    # --- asking ------------------------------------------------------------------------
    "start.title": ("Ask a question", "Gofyn cwestiwn"),
    "start.intro": (
        "Type your question and we will answer it from the official guidance this service uses. You can ask "
        "follow-up questions.",
        "Teipiwch eich cwestiwn a byddwn yn ei ateb o\u2019r canllawiau swyddogol y mae\u2019r gwasanaeth hwn yn eu "
        "defnyddio. Gallwch ofyn cwestiynau dilynol.",
    ),
    "start.recent": ("Your recent conversations", "Eich sgyrsiau diweddar"),
    "start.untitled": ("Conversation", "Sgwrs"),
    "chat.question_label": ("Your question", "Eich cwestiwn"),
    "chat.follow_up_label": ("Ask a follow-up question", "Gofyn cwestiwn dilynol"),
    "chat.question_hint": (
        "Ask one question at a time. Do not include personal details such as your name, address or National "
        "Insurance number.",
        "Gofynnwch un cwestiwn ar y tro. Peidiwch â chynnwys manylion personol fel eich enw, eich cyfeiriad neu "
        "eich rhif Yswiriant Gwladol.",
    ),
    "chat.count_description": ("You can enter up to {limit} characters", "Gallwch roi hyd at {limit} nod"),
    "chat.count_under_one": ("You have %{count} character remaining", "Mae gennych %{count} nod ar ôl"),
    "chat.count_under_other": ("You have %{count} characters remaining", "Mae gennych %{count} nod ar ôl"),
    "chat.count_at": ("You have 0 characters remaining", "Mae gennych 0 nod ar ôl"),
    "chat.count_over_one": ("You have %{count} character too many", "Mae gennych %{count} nod yn ormod"),
    "chat.count_over_other": ("You have %{count} characters too many", "Mae gennych %{count} nod yn ormod"),
    "chat.ask": ("Ask", "Gofyn"),
    "chat.ask_follow_up": ("Ask follow-up question", "Gofyn cwestiwn dilynol"),
    "chat.checking": (
        "Checking the guidance. This can take a few seconds.",
        "Wrthi\u2019n gwirio\u2019r canllawiau. Gall hyn gymryd ychydig eiliadau.",
    ),
    "chat.stream_failed": (
        "Something went wrong while showing the answer. Reloading the page.",
        "Aeth rhywbeth o\u2019i le wrth ddangos yr ateb. Wrthi\u2019n ail-lwytho\u2019r dudalen.",
    ),
    "chat.you_asked": ("You asked", "Gofynnoch chi"),
    "chat.sources": ("GOV.UK pages used in this answer", "Tudalennau GOV.UK a ddefnyddiwyd yn yr ateb hwn"),
    "chat.can_be_wrong": (
        "Answers are written by a computer program from official guidance. They can be wrong. Check the pages "
        "each answer links to before you act on it.",
        "Rhaglen gyfrifiadurol sy\u2019n ysgrifennu\u2019r atebion o ganllawiau swyddogol. Gallant fod yn anghywir. "
        "Gwiriwch y tudalennau y mae pob ateb yn cysylltu â nhw cyn i chi weithredu arno.",
    ),
    "chat.english_only": (
        "The guidance this service uses is only available in English, so its answers are in English.",
        "Mae\u2019r canllawiau y mae\u2019r gwasanaeth hwn yn eu defnyddio ar gael yn Saesneg yn unig, felly mae ei "
        "atebion yn Saesneg.",
    ),
    "chat.answer_in_english": (
        "This answer is in English because the guidance is only available in English.",
        "Mae\u2019r ateb hwn yn Saesneg oherwydd bod y canllawiau ar gael yn Saesneg yn unig.",
    ),
    # --- a conversation ----------------------------------------------------------------
    "conversation.title": ("Your conversation", "Eich sgwrs"),
    "conversation.new": ("Start a new conversation", "Dechrau sgwrs newydd"),
    "conversation.full": (
        "This conversation has reached its limit of 50 questions. Start a new conversation to ask more.",
        "Mae\u2019r sgwrs hon wedi cyrraedd ei therfyn o 50 cwestiwn. Dechreuwch sgwrs newydd i ofyn mwy.",
    ),
    "conversation.link_summary": ("Come back to this conversation later", "Dod yn ôl at y sgwrs hon yn nes ymlaen"),
    "conversation.link_text": (
        "Save this link to come back to this conversation. Anyone with the link can read it, so do not share "
        "it. We keep the conversation for {days} days.",
        "Cadwch y ddolen hon i ddod yn ôl at y sgwrs hon. Gall unrhyw un sydd â\u2019r ddolen ei darllen, felly "
        "peidiwch â\u2019i rhannu. Rydym yn cadw\u2019r sgwrs am {days} diwrnod.",
    ),
    "full.title": ("Start a new conversation", "Dechrau sgwrs newydd"),
    # --- what the page calls each outcome ----------------------------------------------
    "kind.answer": ("Answer", "Ateb"),
    "kind.greeting": ("Answer", "Ateb"),
    "kind.crisis": ("Get help now", "Cael help nawr"),
    "kind.held": ("A member of staff is checking this answer", "Mae aelod o staff yn gwirio\u2019r ateb hwn"),
    "kind.not_found": ("We could not find an answer", "Nid oeddem yn gallu dod o hyd i ateb"),
    "kind.needs_account_data": ("We cannot see your records", "Ni allwn weld eich cofnodion"),
    "kind.out_of_scope": ("This service cannot help with that", "Ni all y gwasanaeth hwn helpu gyda hynny"),
    "kind.political": ("This service cannot help with that", "Ni all y gwasanaeth hwn helpu gyda hynny"),
    "kind.policy_refused": ("This service cannot answer this question",
                            "Ni all y gwasanaeth hwn ateb y cwestiwn hwn"),
    "kind.budget_refused": ("This service is busy", "Mae\u2019r gwasanaeth hwn yn brysur"),
    "kind.blocked_input": ("We cannot answer this question", "Ni allwn ateb y cwestiwn hwn"),
    "kind.blocked_personal_data": ("We cannot look up other people", "Ni allwn chwilio am bobl eraill"),
    "kind.too_long": ("Your question is too long", "Mae eich cwestiwn yn rhy hir"),
    "kind.empty": ("Type a question", "Teipiwch gwestiwn"),
    "kind.service_error": ("Sorry, there is a problem with the service", "Mae\u2019n ddrwg gennym, mae problem gyda\u2019r gwasanaeth"),
    "kind.blocked_output": ("We could not give a safe answer", "Nid oeddem yn gallu rhoi ateb diogel"),
    "kind.unavailable": ("This service is not available at the moment",
                         "Nid yw\u2019r gwasanaeth hwn ar gael ar hyn o bryd"),
    "kind.review_rejected": ("A member of staff could not confirm an answer",
                             "Nid oedd aelod o staff yn gallu cadarnhau ateb"),
    "kind.review_hold": ("A member of staff is checking this answer", "Mae aelod o staff yn gwirio\u2019r ateb hwn"),
    "held.text": (
        "This service asks a member of staff to check some answers before you get them.",
        "Mae\u2019r gwasanaeth hwn yn gofyn i aelod o staff wirio rhai atebion cyn i chi eu cael.",
    ),
    "held.come_back": (
        "Come back to this page to see the answer once it has been checked:",
        "Dewch yn ôl i\u2019r dudalen hon i weld yr ateb unwaith y bydd wedi\u2019i wirio:",
    ),
    "status.approved": ("Checked by a member of staff", "Wedi\u2019i wirio gan aelod o staff"),
    "status.edited": ("Corrected by a member of staff", "Wedi\u2019i gywiro gan aelod o staff"),
    "status.contested": (
        "You asked for a member of staff to check this answer. Come back to this page to see what they decide.",
        "Gofynnoch i aelod o staff wirio\u2019r ateb hwn. Dewch yn ôl i\u2019r dudalen hon i weld beth maen nhw\u2019n "
        "ei benderfynu.",
    ),
    # --- the built-in canned replies, in Welsh (shown unless the profile rewords them) ---
    "reply.empty": ("Please type a question.", "Teipiwch gwestiwn."),
    "reply.too_long": (
        "Your message is too long. Please ask your question in fewer words.",
        "Mae eich neges yn rhy hir. Gofynnwch eich cwestiwn mewn llai o eiriau.",
    ),
    "reply.blocked_input": (
        "Sorry, I can't help with that. I can answer questions about government services and guidance. Please ask "
        "your question in a different way.",
        "Mae\u2019n ddrwg gennyf, ni allaf helpu gyda hynny. Gallaf ateb cwestiynau am wasanaethau a chanllawiau\u2019r "
        "llywodraeth. Gofynnwch eich cwestiwn mewn ffordd wahanol.",
    ),
    "reply.blocked_personal_data": (
        "Sorry, I can't look up or share information about other people. If you need information about your own "
        "records, sign in to the relevant service on GOV.UK or contact the organisation directly.",
        "Mae\u2019n ddrwg gennyf, ni allaf chwilio am wybodaeth am bobl eraill na\u2019i rhannu. Os oes angen "
        "gwybodaeth arnoch am eich cofnodion eich hun, mewngofnodwch i\u2019r gwasanaeth perthnasol ar GOV.UK neu "
        "cysylltwch â\u2019r sefydliad yn uniongyrchol.",
    ),
    "reply.out_of_scope": (
        "Sorry, I can only help with questions about government services and guidance. Try searching GOV.UK for "
        "other topics.",
        "Mae\u2019n ddrwg gennyf, dim ond gyda chwestiynau am wasanaethau a chanllawiau\u2019r llywodraeth y gallaf "
        "helpu. Rhowch gynnig ar chwilio GOV.UK am bynciau eraill.",
    ),
    "reply.greeting": (
        "Hello. I can answer questions about government services using official guidance. What would you like to "
        "know?",
        "Helo. Gallaf ateb cwestiynau am wasanaethau\u2019r llywodraeth gan ddefnyddio canllawiau swyddogol. Beth "
        "hoffech chi ei wybod?",
    ),
    "reply.needs_account_data": (
        "I can't see your personal records or account. To check details of your own claim, payment or application, "
        "sign in to your account on GOV.UK or contact the service that handles it.",
        "Ni allaf weld eich cofnodion personol na\u2019ch cyfrif. I wirio manylion eich hawliad, eich taliad neu "
        "eich cais eich hun, mewngofnodwch i\u2019ch cyfrif ar GOV.UK neu cysylltwch â\u2019r gwasanaeth sy\u2019n "
        "delio ag ef.",
    ),
    "reply.crisis": (
        "I'm sorry you're feeling like this. You don't have to face it alone. If you are in immediate danger, call "
        "999. You can talk to Samaritans any time, day or night, for free: call 116 123 or email jo@samaritans.org. "
        "If you're under 19 you can also call Childline on 0800 1111. In Wales you can call the C.A.L.L. helpline "
        "on 0800 132 737. You can also text SHOUT to 85258 or contact NHS 111.",
        "Mae\u2019n ddrwg gennyf eich bod yn teimlo fel hyn. Does dim rhaid i chi wynebu hyn ar eich pen eich hun. "
        "Os ydych mewn perygl uniongyrchol, ffoniwch 999. Gallwch siarad â\u2019r Samariaid unrhyw bryd, ddydd neu "
        "nos, am ddim: ffoniwch 116 123 neu e-bostiwch jo@samaritans.org. Os ydych o dan 19 oed gallwch hefyd "
        "ffonio Childline ar 0800 1111. Yng Nghymru gallwch ffonio llinell gymorth C.A.L.L. ar 0800 132 737. "
        "Gallwch hefyd anfon neges destun SHOUT i 85258 neu gysylltu â GIG 111.",
    ),
    "reply.political": (
        "I can't give opinions on political parties or how to vote. GOV.UK has neutral information on elections "
        "and how to register to vote.",
        "Ni allaf roi barn am bleidiau gwleidyddol na sut i bleidleisio. Mae gan GOV.UK wybodaeth ddiduedd am "
        "etholiadau a sut i gofrestru i bleidleisio.",
    ),
    "reply.policy_refused": (
        "Sorry, this service cannot answer this request with the tools it is allowed to use. Please use your "
        "organisation's approved channel.",
        "Mae\u2019n ddrwg gennyf, ni all y gwasanaeth hwn ateb y cais hwn gyda\u2019r offer y caniateir iddo eu "
        "defnyddio. Defnyddiwch sianel gymeradwy eich sefydliad.",
    ),
    "reply.budget_refused": (
        "Sorry, this service has reached its spending limit for now. Please try again later.",
        "Mae\u2019n ddrwg gennyf, mae\u2019r gwasanaeth hwn wedi cyrraedd ei derfyn gwario am y tro. Rhowch gynnig "
        "arall arni yn nes ymlaen.",
    ),
    "reply.not_found": (
        "I can't find the answer to that in the guidance I have. You can search GOV.UK (https://www.gov.uk/search) "
        "or contact the organisation responsible.",
        "Ni allaf ddod o hyd i\u2019r ateb i hynny yn y canllawiau sydd gennyf. Gallwch chwilio GOV.UK "
        "(https://www.gov.uk/search) neu gysylltu â\u2019r sefydliad sy\u2019n gyfrifol.",
    ),
    "reply.service_error": (
        "Sorry, the service is not working right now. Please try again later, or use GOV.UK to find the guidance "
        "you need.",
        "Mae\u2019n ddrwg gennyf, nid yw\u2019r gwasanaeth yn gweithio ar hyn o bryd. Rhowch gynnig arall arni yn nes "
        "ymlaen, neu defnyddiwch GOV.UK i ddod o hyd i\u2019r canllawiau sydd eu hangen arnoch.",
    ),
    "reply.unavailable": (
        "Sorry, this service is not available at the moment. Please try again later, or use GOV.UK to find the "
        "guidance you need.",
        "Mae\u2019n ddrwg gennyf, nid yw\u2019r gwasanaeth hwn ar gael ar hyn o bryd. Rhowch gynnig arall arni yn nes "
        "ymlaen, neu defnyddiwch GOV.UK i ddod o hyd i\u2019r canllawiau sydd eu hangen arnoch.",
    ),
    "reply.blocked_output": (
        "Sorry, I couldn't produce an answer I can be sure is accurate and safe. Please check GOV.UK or contact the "
        "service directly.",
        "Mae\u2019n ddrwg gennyf, nid oeddwn yn gallu llunio ateb y gallaf fod yn siŵr ei fod yn gywir ac yn ddiogel. "
        "Gwiriwch GOV.UK neu cysylltwch â\u2019r gwasanaeth yn uniongyrchol.",
    ),
    "reply.review_rejected": (
        "A member of staff has checked this question and could not confirm an answer from the guidance. Please "
        "contact the service directly.",
        "Mae aelod o staff wedi gwirio\u2019r cwestiwn hwn ac nid oedd yn gallu cadarnhau ateb o\u2019r canllawiau. "
        "Cysylltwch â\u2019r gwasanaeth yn uniongyrchol.",
    ),
    "reply.review_hold": (
        "A member of staff needs to check this answer before you get it.",
        "Mae angen i aelod o staff wirio\u2019r ateb hwn cyn i chi ei gael.",
    ),
    # --- signposting -------------------------------------------------------------------
    "signpost.heading": ("What you can do", "Beth allwch chi ei wneud"),
    "signpost.search": ("Search GOV.UK", "Chwilio GOV.UK"),
    "signpost.contact": ("Find the government organisation responsible",
                         "Dod o hyd i\u2019r sefydliad llywodraeth sy\u2019n gyfrifol"),
    "signpost.rephrase": ("Ask your question in a different way, or ask a different question",
                          "Gofyn eich cwestiwn mewn ffordd wahanol, neu ofyn cwestiwn gwahanol"),
    "signpost.samaritans": ("Contact Samaritans", "Cysylltu â\u2019r Samariaid"),
    # --- personal data -----------------------------------------------------------------
    "pd.service_warn": (
        "Do not include personal details in your question. If you do, this service replaces them with "
        "placeholders before your question is checked or answered, keeps them encrypted with this conversation, "
        "and puts them back only in what you see.",
        "Peidiwch â chynnwys manylion personol yn eich cwestiwn. Os gwnewch chi, mae\u2019r gwasanaeth hwn yn rhoi "
        "dalfannau yn eu lle cyn i\u2019ch cwestiwn gael ei wirio neu ei ateb, yn eu cadw wedi\u2019u hamgryptio "
        "gyda\u2019r sgwrs hon, ac yn eu rhoi yn ôl dim ond yn yr hyn rydych chi\u2019n ei weld.",
    ),
    "pd.service_redact": (
        "Do not include personal details in your question. If you do, this service removes them before your "
        "question is used, and does not keep them.",
        "Peidiwch â chynnwys manylion personol yn eich cwestiwn. Os gwnewch chi, mae\u2019r gwasanaeth hwn yn eu "
        "tynnu allan cyn i\u2019ch cwestiwn gael ei ddefnyddio, ac nid yw\u2019n eu cadw.",
    ),
    "pd.service_refuse": (
        "This service does not accept personal details. If your question includes any, such as a name, address or "
        "National Insurance number, it will not be answered.",
        "Nid yw\u2019r gwasanaeth hwn yn derbyn manylion personol. Os yw eich cwestiwn yn cynnwys unrhyw rai, fel "
        "enw, cyfeiriad neu rif Yswiriant Gwladol, ni fydd yn cael ei ateb.",
    ),
    "pd.found_warn": (
        "Your question included personal details ({labels}). We replaced them with placeholders before your "
        "question was checked or answered. You do not need to give personal details to get an answer.",
        "Roedd eich cwestiwn yn cynnwys manylion personol ({labels}). Rhoesom ddalfannau yn eu lle cyn i\u2019ch "
        "cwestiwn gael ei wirio neu ei ateb. Nid oes angen i chi roi manylion personol i gael ateb.",
    ),
    "pd.found_redact": (
        "Your question included personal details ({labels}). We removed them before your question was used, and "
        "have not kept them.",
        "Roedd eich cwestiwn yn cynnwys manylion personol ({labels}). Rydym wedi eu tynnu allan cyn i\u2019ch cwestiwn "
        "gael ei ddefnyddio, ac nid ydym wedi eu cadw.",
    ),
    "pd.found_refuse": (
        "Your question included personal details ({labels}). This service does not accept personal details, so "
        "your question was not answered. Ask it again without them.",
        "Roedd eich cwestiwn yn cynnwys manylion personol ({labels}). Nid yw\u2019r gwasanaeth hwn yn derbyn manylion "
        "personol, felly ni chafodd eich cwestiwn ei ateb. Gofynnwch ef eto hebddynt.",
    ),
    "pd.label_unknown": ("personal details", "manylion personol"),
    "pd.privacy_link": ("How we use your information", "Sut rydym yn defnyddio eich gwybodaeth"),
    "pd.mode_warn": ("Replaced by placeholders, kept encrypted, shown back to the citizen",
                     "Dalfannau yn eu lle, wedi\u2019u cadw wedi\u2019u hamgryptio, yn cael eu dangos yn ôl i\u2019r dinesydd"),
    "pd.mode_redact": ("Removed for good before use", "Wedi\u2019u tynnu allan yn barhaol cyn eu defnyddio"),
    "pd.mode_refuse": ("Questions holding personal data are refused",
                       "Mae cwestiynau sy\u2019n cynnwys data personol yn cael eu gwrthod"),
    "pii.PERSON": ("a name", "enw"),
    "pii.ADDRESS": ("an address", "cyfeiriad"),
    "pii.POSTCODE": ("a postcode", "cod post"),
    "pii.EMAIL": ("an email address", "cyfeiriad e-bost"),
    "pii.PHONE_UK": ("a phone number", "rhif ffôn"),
    "pii.NINO": ("a National Insurance number", "rhif Yswiriant Gwladol"),
    "pii.NHS_NUMBER": ("an NHS number", "rhif GIG"),
    "pii.UTR": ("a Unique Taxpayer Reference", "Cyfeirnod Unigryw y Trethdalwr"),
    "pii.VAT_GB": ("a VAT number", "rhif TAW"),
    "pii.SORT_CODE": ("a sort code", "cod didoli"),
    "pii.ACCOUNT_NUMBER": ("a bank account number", "rhif cyfrif banc"),
    "pii.IBAN_GB": ("an IBAN", "IBAN"),
    "pii.PASSPORT_UK": ("a passport number", "rhif pasbort"),
    "pii.DRIVING_LICENCE_UK": ("a driving licence number", "rhif trwydded yrru"),
    "pii.VEHICLE_REG_UK": ("a vehicle registration", "rhif cofrestru cerbyd"),
    "pii.DATE_OF_BIRTH": ("a date of birth", "dyddiad geni"),
    "pii.COMPANY_NUMBER": ("a company number", "rhif cwmni"),
    # --- feedback and contests ---------------------------------------------------------
    "feedback.question": ("Was this answer useful?", "Oedd yr ateb hwn yn ddefnyddiol?"),
    "feedback.yes": ("Yes", "Oedd"),
    "feedback.no": ("No", "Nac oedd"),
    "feedback.yes_hidden": ("this answer was useful", "roedd yr ateb hwn yn ddefnyddiol"),
    "feedback.no_hidden": ("this answer was not useful", "nid oedd yr ateb hwn yn ddefnyddiol"),
    "feedback.add_comment": ("Add a comment (optional)", "Ychwanegu sylw (dewisol)"),
    "feedback.comment_label": ("Your comment", "Eich sylw"),
    "feedback.comment_hint": ("Do not include personal details.", "Peidiwch â chynnwys manylion personol."),
    "feedback.given": ("Thank you for your feedback on this answer.", "Diolch am eich adborth ar yr ateb hwn."),
    "contest.link": ("Ask a member of staff to check this answer", "Gofyn i aelod o staff wirio\u2019r ateb hwn"),
    "contest.title": ("Ask a member of staff to check this answer", "Gofyn i aelod o staff wirio\u2019r ateb hwn"),
    "contest.intro": (
        "If you think this answer is wrong or does not apply to you, a member of staff will look at your question "
        "and the answer again.",
        "Os ydych chi\u2019n credu bod yr ateb hwn yn anghywir neu nad yw\u2019n berthnasol i chi, bydd aelod o staff "
        "yn edrych ar eich cwestiwn a\u2019r ateb eto.",
    ),
    "contest.come_back": (
        "Come back to your conversation to see what they decide.",
        "Dewch yn ôl at eich sgwrs i weld beth maen nhw\u2019n ei benderfynu.",
    ),
    "contest.reason_label": ("Why do you want it checked? (optional)",
                             "Pam ydych chi eisiau iddo gael ei wirio? (dewisol)"),
    "contest.reason_hint": ("Do not include personal details.", "Peidiwch â chynnwys manylion personol."),
    "contest.submit": ("Ask for a check", "Gofyn am wiriad"),
    "flash.feedback_thanks": ("Thank you for your feedback.", "Diolch am eich adborth."),
    "flash.contested": (
        "A member of staff will check this answer. Come back to this page to see what they decide.",
        "Bydd aelod o staff yn gwirio\u2019r ateb hwn. Dewch yn ôl i\u2019r dudalen hon i weld beth maen nhw\u2019n ei "
        "benderfynu.",
    ),
    "flash.already_contested": ("This answer is already waiting for a member of staff to check it.",
                                "Mae\u2019r ateb hwn eisoes yn aros i aelod o staff ei wirio."),
    # --- errors on forms -------------------------------------------------------------
    "error.question_empty": ("Enter your question", "Rhowch eich cwestiwn"),
    "error.question_long": ("Your question must be {limit} characters or fewer",
                            "Rhaid i\u2019ch cwestiwn fod yn {limit} nod neu lai"),
    "error.reason_long": ("The reason must be 2,000 characters or fewer", "Rhaid i\u2019r rheswm fod yn 2,000 nod neu lai"),
    "error.reason_empty": ("Enter the reason for your decision", "Rhowch y rheswm dros eich penderfyniad"),
    "error.decision_empty": ("Select approve, edit or reject", "Dewiswch cymeradwyo, golygu neu wrthod"),
    "error.answer_empty": ("Enter the corrected answer", "Rhowch yr ateb wedi\u2019i gywiro"),
    "error.answer_long": ("The answer must be 8,000 characters or fewer", "Rhaid i\u2019r ateb fod yn 8,000 nod neu lai"),
    "error.username_empty": ("Enter your username", "Rhowch eich enw defnyddiwr"),
    "error.password_empty": ("Enter your password", "Rhowch eich cyfrinair"),
    "error.sign_in_failed": ("The username or password is not right", "Nid yw\u2019r enw defnyddiwr neu\u2019r cyfrinair yn gywir"),
    "error.sign_in_too_many": ("You have tried to sign in too many times. Wait a minute and try again",
                               "Rydych wedi ceisio mewngofnodi gormod o weithiau. Arhoswch funud a rhowch gynnig arall arni"),
    "error.oidc_failed": ("Signing in with your organisation's account did not work. Try again",
                          "Ni weithiodd mewngofnodi gyda chyfrif eich sefydliad. Rhowch gynnig arall arni"),
    "error.oidc_unreachable": ("Your organisation's sign-in service is not answering. Try again later",
                               "Nid yw gwasanaeth mewngofnodi eich sefydliad yn ateb. Rhowch gynnig arall arni yn nes ymlaen"),
    "error.oidc_no_account": ("There is no staff account for the account you signed in with",
                              "Nid oes cyfrif staff ar gyfer y cyfrif y gwnaethoch fewngofnodi ag ef"),
    "error.switch_empty": ("Select on or off", "Dewiswch ymlaen neu i ffwrdd"),
    "error.switch_reason_empty": ("Enter the reason for the change", "Rhowch y rheswm dros y newid"),
    "error.switch_reason_long": ("The reason must be 500 characters or fewer", "Rhaid i\u2019r rheswm fod yn 500 nod neu lai"),
    "error.date_invalid": ("Enter a date like 2025-04-01 or 2025-04-01T09:30",
                           "Rhowch ddyddiad fel 2025-04-01 neu 2025-04-01T09:30"),
    # --- pages that end a journey --------------------------------------------------------
    "not_found.title": ("Page not found", "Heb ddod o hyd i\u2019r dudalen"),
    "not_found.typed": ("If you typed the web address, check it is correct.",
                        "Os gwnaethoch deipio\u2019r cyfeiriad gwe, gwiriwch ei fod yn gywir."),
    "not_found.pasted": ("If you pasted the web address, check you copied the entire address.",
                         "Os gwnaethoch ludo\u2019r cyfeiriad gwe, gwiriwch eich bod wedi copïo\u2019r cyfeiriad cyfan."),
    "not_found.home": ("Go to the list of assistants", "Mynd i\u2019r rhestr o gynorthwywyr"),
    "unavailable.title": ("Sorry, this service is not available at the moment",
                          "Mae\u2019n ddrwg gennym, nid yw\u2019r gwasanaeth hwn ar gael ar hyn o bryd"),
    "unavailable.text": ("You can try again later. Nothing you have asked before is lost.",
                         "Gallwch roi cynnig arall arni yn nes ymlaen. Nid oes dim a ofynnwyd gennych o\u2019r blaen "
                         "wedi\u2019i golli."),
    "unavailable.meanwhile": ("In the meantime, you can find guidance on", "Yn y cyfamser, gallwch ddod o hyd i ganllawiau ar"),
    "unavailable.follow_up": ("This service is not available at the moment, so you cannot ask another question. "
                              "Your conversation is kept.",
                              "Nid yw\u2019r gwasanaeth hwn ar gael ar hyn o bryd, felly ni allwch ofyn cwestiwn arall. "
                              "Mae eich sgwrs wedi\u2019i chadw."),
    "rate.title": ("You have asked too many questions in a short time",
                   "Rydych wedi gofyn gormod o gwestiynau mewn amser byr"),
    "rate.text": ("Wait {seconds} seconds, then try again.", "Arhoswch {seconds} eiliad, yna rhowch gynnig arall arni."),
    "rate.kept": ("Your conversation is kept. Your last question was not sent.",
                  "Mae eich sgwrs wedi\u2019i chadw. Ni chafodd eich cwestiwn diwethaf ei anfon."),
    "rate.back": ("Go back to the question page", "Mynd yn ôl i\u2019r dudalen gwestiwn"),
    "rate.back_conversation": ("Go back to your conversation", "Mynd yn ôl at eich sgwrs"),
    "error_page.title": ("Sorry, there is a problem with the service",
                         "Mae\u2019n ddrwg gennym, mae problem gyda\u2019r gwasanaeth"),
    "error_page.later": ("Try again later.", "Rhowch gynnig arall arni yn nes ymlaen."),
    "csrf.title": ("This form could not be sent", "Nid oedd modd anfon y ffurflen hon"),
    "csrf.text": (
        "The page may have been open too long, or the form came from another website. Go back, reload the page "
        "and try again.",
        "Efallai bod y dudalen wedi bod ar agor yn rhy hir, neu daeth y ffurflen o wefan arall. Ewch yn ôl, "
        "ail-lwythwch y dudalen a rhowch gynnig arall arni.",
    ),
    # --- privacy, cookies, accessibility ---------------------------------------------------
    "privacy.title": ("How we use your information", "Sut rydym yn defnyddio eich gwybodaeth"),
    "privacy.intro": (
        "This page explains what this assistant keeps when you use it, why, and for how long.",
        "Mae\u2019r dudalen hon yn esbonio beth mae\u2019r cynorthwyydd hwn yn ei gadw pan fyddwch yn ei ddefnyddio, "
        "pam, ac am ba hyd.",
    ),
    "privacy.what_heading": ("What we keep", "Beth rydym yn ei gadw"),
    "privacy.what_question": ("your questions and the answers, so you can come back to your conversation",
                              "eich cwestiynau a\u2019r atebion, fel y gallwch ddod yn ôl at eich sgwrs"),
    "privacy.what_feedback": ("your feedback, and any request for a member of staff to check an answer",
                              "eich adborth, ac unrhyw gais i aelod o staff wirio ateb"),
    "privacy.what_audit": (
        "a record of each decision the service made (not your words, unless the service is set up to keep them), "
        "so it can be checked",
        "cofnod o bob penderfyniad a wnaeth y gwasanaeth (nid eich geiriau, oni bai bod y gwasanaeth wedi\u2019i "
        "osod i\u2019w cadw), fel y gellir ei wirio",
    ),
    "privacy.what_browser": (
        "a random identifier for your browser, to stop the service being overloaded",
        "dynodwr ar hap ar gyfer eich porwr, i atal y gwasanaeth rhag cael ei orlwytho",
    ),
    "privacy.pd_heading": ("Personal details in questions", "Manylion personol mewn cwestiynau"),
    "privacy.pd_general": (
        "Do not include personal details in your questions. Each assistant says on its question page what it does "
        "with any it finds.",
        "Peidiwch â chynnwys manylion personol yn eich cwestiynau. Mae pob cynorthwyydd yn dweud ar ei dudalen "
        "gwestiwn beth mae\u2019n ei wneud gydag unrhyw rai y mae\u2019n dod o hyd iddynt.",
    ),
    "privacy.pd_models": (
        "Your details are never sent to a computer model that is not approved to receive them.",
        "Nid yw eich manylion byth yn cael eu hanfon at fodel cyfrifiadurol nad yw wedi\u2019i gymeradwyo i\u2019w "
        "derbyn.",
    ),
    "privacy.keep_heading": ("How long we keep it", "Am ba hyd rydym yn ei gadw"),
    "privacy.keep_conversation": ("conversations and any personal details in them: {days} days",
                                  "sgyrsiau ac unrhyw fanylion personol ynddynt: {days} diwrnod"),
    "privacy.keep_audit": ("the record of decisions: {days} days", "y cofnod o benderfyniadau: {days} diwrnod"),
    "privacy.keep_general": ("Each assistant's privacy page says how long it keeps conversations and records.",
                             "Mae tudalen breifatrwydd pob cynorthwyydd yn dweud am ba hyd y mae\u2019n cadw sgyrsiau "
                             "a chofnodion."),
    "privacy.people_heading": ("Who sees it", "Pwy sy\u2019n ei weld"),
    "privacy.people": (
        "Members of staff see questions and answers only to check answers, with personal details replaced by "
        "placeholders. Auditors can check the record of decisions.",
        "Dim ond i wirio atebion y mae aelodau staff yn gweld cwestiynau ac atebion, gyda dalfannau yn lle manylion "
        "personol. Gall archwilwyr wirio\u2019r cofnod o benderfyniadau.",
    ),
    "privacy.rights_heading": ("Your rights", "Eich hawliau"),
    "privacy.rights": (
        "You can ask for a member of staff to check any answer. You can ask the organisation that runs this "
        "service for a copy of your information, or for it to be deleted.",
        "Gallwch ofyn i aelod o staff wirio unrhyw ateb. Gallwch ofyn i\u2019r sefydliad sy\u2019n rhedeg y gwasanaeth "
        "hwn am gopi o\u2019ch gwybodaeth, neu iddi gael ei dileu.",
    ),
    "privacy.responsible_heading": ("Who is responsible", "Pwy sy\u2019n gyfrifol"),
    "privacy.ico": ("If you are not happy with how your information is used, you can",
                    "Os nad ydych yn hapus â sut mae eich gwybodaeth yn cael ei defnyddio, gallwch"),
    "privacy.ico_link": ("complain to the Information Commissioner's Office",
                         "gwyno i Swyddfa\u2019r Comisiynydd Gwybodaeth"),
    "cookies.title": ("Cookies", "Cwcis"),
    "cookies.intro": ("This service puts small files (cookies) on your device. They are needed for the service "
                      "to work, so you cannot turn them off.",
                      "Mae\u2019r gwasanaeth hwn yn rhoi ffeiliau bach (cwcis) ar eich dyfais. Mae eu hangen er mwyn i\u2019r "
                      "gwasanaeth weithio, felly ni allwch eu diffodd."),
    "cookies.essential": ("Essential cookies", "Cwcis hanfodol"),
    "cookies.name": ("Name", "Enw"),
    "cookies.purpose": ("Purpose", "Diben"),
    "cookies.expires": ("Expires", "Yn dod i ben"),
    "cookies.session": ("Keeps your forms secure and remembers your recent conversations",
                        "Yn cadw eich ffurflenni\u2019n ddiogel ac yn cofio eich sgyrsiau diweddar"),
    "cookies.session_expires": ("When you close your browser, or after 1 day", "Pan fyddwch yn cau eich porwr, neu ar ôl 1 diwrnod"),
    "cookies.lang": ("Remembers whether you chose English or Welsh", "Yn cofio a wnaethoch ddewis Saesneg neu Gymraeg"),
    "cookies.lang_expires": ("1 year", "1 flwyddyn"),
    "cookies.no_tracking": ("We do not use cookies to track you or for analytics.",
                            "Nid ydym yn defnyddio cwcis i\u2019ch tracio nac ar gyfer dadansoddeg."),
    "a11y.title": ("Accessibility statement", "Datganiad hygyrchedd"),
    "a11y.intro": ("We want as many people as possible to be able to use this service. You should be able to:",
                   "Rydym eisiau i gymaint o bobl â phosibl allu defnyddio\u2019r gwasanaeth hwn. Dylech allu:"),
    "a11y.zoom": ("zoom in up to 400% without the text spilling off the screen",
                  "chwyddo hyd at 400% heb i\u2019r testun lifo oddi ar y sgrin"),
    "a11y.keyboard": ("use the whole service with just a keyboard", "defnyddio\u2019r gwasanaeth cyfan gyda bysellfwrdd yn unig"),
    "a11y.screen_reader": ("use the service with a screen reader", "defnyddio\u2019r gwasanaeth gyda darllenydd sgrin"),
    "a11y.no_js": ("use the service with JavaScript turned off", "defnyddio\u2019r gwasanaeth gyda JavaScript wedi\u2019i ddiffodd"),
    "a11y.welsh": ("use the service in Welsh", "defnyddio\u2019r gwasanaeth yn Gymraeg"),
    "a11y.testing_heading": ("How we test this service", "Sut rydym yn profi\u2019r gwasanaeth hwn"),
    "a11y.testing": (
        "The service is built with the GOV.UK Design System and aims to meet WCAG 2.2 at level AA. Every page is "
        "checked automatically with axe-core, and the question pages are tested with a keyboard only.",
        "Mae\u2019r gwasanaeth wedi\u2019i adeiladu gyda System Ddylunio GOV.UK a\u2019i nod yw bodloni WCAG 2.2 ar "
        "lefel AA. Mae pob tudalen yn cael ei gwirio\u2019n awtomatig gydag axe-core, ac mae\u2019r tudalennau "
        "cwestiwn yn cael eu profi gyda bysellfwrdd yn unig.",
    ),
    "a11y.known_heading": ("Known issues", "Problemau hysbys"),
    "a11y.known": (
        "Answers come from guidance written in English, so they are in English on the Welsh pages.",
        "Daw atebion o ganllawiau a ysgrifennwyd yn Saesneg, felly maent yn Saesneg ar y tudalennau Cymraeg.",
    ),
    # --- staff: sign in ------------------------------------------------------------------
    "staff.service_name": ("GovAI staff", "Staff GovAI"),
    "signin.title": ("Sign in", "Mewngofnodi"),
    "signin.intro": ("Sign in to review answers or manage your organisation's assistants.",
                     "Mewngofnodwch i adolygu atebion neu reoli cynorthwywyr eich sefydliad."),
    "signin.oidc": ("Sign in with {provider}", "Mewngofnodi gyda {provider}"),
    "signin.oidc_default": ("your organisation's account", "cyfrif eich sefydliad"),
    "signin.local_heading": ("Or sign in with a GovAI account", "Neu fewngofnodi gyda chyfrif GovAI"),
    "signin.username": ("Username", "Enw defnyddiwr"),
    "signin.password": ("Password", "Cyfrinair"),
    "signin.show": ("Show", "Dangos"),
    "signin.hide": ("Hide", "Cuddio"),
    "signin.show_aria": ("Show password", "Dangos cyfrinair"),
    "signin.hide_aria": ("Hide password", "Cuddio cyfrinair"),
    "signin.shown": ("Your password is visible", "Mae eich cyfrinair yn weladwy"),
    "signin.hidden": ("Your password is hidden", "Mae eich cyfrinair wedi\u2019i guddio"),
    "signin.submit": ("Sign in", "Mewngofnodi"),
    "signout.title": ("You have signed out", "Rydych wedi allgofnodi"),
    "signout.again": ("Sign in again", "Mewngofnodi eto"),
    "forbidden.title": ("You cannot see this page", "Ni allwch weld y dudalen hon"),
    "forbidden.text": ("This page needs the role: {roles}. Ask your administrator if you need it.",
                       "Mae angen y rôl hon ar gyfer y dudalen hon: {roles}. Gofynnwch i\u2019ch gweinyddwr os oes ei "
                       "hangen arnoch."),
    "staff.nav_home": ("Staff home", "Hafan staff"),
    "staff.nav_review": ("Review answers", "Adolygu atebion"),
    "staff.nav_admin": ("Services", "Gwasanaethau"),
    "staff.nav_audit": ("Audit", "Archwilio"),
    "staff.sign_out": ("Sign out", "Allgofnodi"),
    "staff.home_title": ("Staff home", "Hafan staff"),
    "staff.name": ("Name", "Enw"),
    "staff.tenant": ("Organisation", "Sefydliad"),
    "staff.roles": ("Roles", "Rolau"),
    "staff.pending": ("{count} answers are waiting for review.", "Mae {count} ateb yn aros i gael eu hadolygu."),
    "role.reviewer": ("reviewer", "adolygydd"),
    "role.service_admin": ("service administrator", "gweinyddwr gwasanaeth"),
    "role.auditor": ("auditor", "archwilydd"),
    # --- staff: review -------------------------------------------------------------------
    "review.title": ("Review answers", "Adolygu atebion"),
    "review.intro": (
        "Answers held back by a review rule, and answers citizens asked to be checked. The citizen sees the "
        "outcome in their conversation. Every decision is recorded in the audit trail.",
        "Atebion a ddaliwyd yn ôl gan reol adolygu, ac atebion y gofynnodd dinasyddion iddynt gael eu gwirio. "
        "Mae\u2019r dinesydd yn gweld y canlyniad yn ei sgwrs. Mae pob penderfyniad yn cael ei gofnodi yn y trywydd "
        "archwilio.",
    ),
    "review.count": ("{count} answers", "{count} ateb"),
    "review.empty": ("There are no answers to show.", "Does dim atebion i\u2019w dangos."),
    "review.item": ("Item", "Eitem"),
    "review.open": ("Review item {id}", "Adolygu eitem {id}"),
    "review.kind": ("Why", "Pam"),
    "review.kind_held": ("Held by a rule", "Wedi\u2019i ddal gan reol"),
    "review.kind_contested": ("Asked to check", "Gofynnwyd am wiriad"),
    "review.service": ("Service", "Gwasanaeth"),
    "review.question": ("Question", "Cwestiwn"),
    "review.question_hint": ("Personal details are shown as placeholders, such as [NINO_1].",
                             "Mae manylion personol yn cael eu dangos fel dalfannau, fel [NINO_1]."),
    "review.received": ("Received", "Derbyniwyd"),
    "review.item_title": ("Review item {id}", "Eitem adolygu {id}"),
    "review.back": ("Back to the review queue", "Yn ôl i\u2019r ciw adolygu"),
    "review.rule": ("Rule", "Rheol"),
    "review.reviewer": ("Who should sign it off", "Pwy ddylai ei gymeradwyo"),
    "review.status": ("Status", "Statws"),
    "review.citizen_reason": ("The citizen's reason", "Rheswm y dinesydd"),
    "review.proposed": ("Proposed answer", "Ateb arfaethedig"),
    "review.sources": ("Sources", "Ffynonellau"),
    "review.no_sources": ("The answer cites no sources.", "Nid yw\u2019r ateb yn dyfynnu unrhyw ffynonellau."),
    "review.guards": ("Guard verdicts", "Dyfarniadau\u2019r gwarchodwyr"),
    "review.guard_step": ("Check", "Gwiriad"),
    "review.guard_verdict": ("Verdict", "Dyfarniad"),
    "review.guard_categories": ("Categories", "Categorïau"),
    "review.no_guards": ("No guard verdicts were recorded for this answer.",
                         "Ni chofnodwyd unrhyw ddyfarniadau gwarchodwr ar gyfer yr ateb hwn."),
    "review.decision": ("Your decision", "Eich penderfyniad"),
    "review.approve": ("Approve", "Cymeradwyo"),
    "review.approve_hint": ("The citizen gets the proposed answer.", "Mae\u2019r dinesydd yn cael yr ateb arfaethedig."),
    "review.edit": ("Edit", "Golygu"),
    "review.edit_hint": ("The citizen gets your corrected answer.", "Mae\u2019r dinesydd yn cael eich ateb wedi\u2019i gywiro."),
    "review.reject": ("Reject", "Gwrthod"),
    "review.reject_hint": ("The citizen is told to contact the service.",
                           "Mae\u2019r dinesydd yn cael gwybod i gysylltu â\u2019r gwasanaeth."),
    "review.edited_answer": ("Corrected answer", "Ateb wedi\u2019i gywiro"),
    "review.edited_hint": (
        "Used only if you choose Edit. Keep the source numbers, such as [1], that the answer still uses.",
        "Dim ond os byddwch yn dewis Golygu y caiff ei ddefnyddio. Cadwch rifau\u2019r ffynonellau, fel [1], y "
        "mae\u2019r ateb yn dal i\u2019w defnyddio.",
    ),
    "review.reason": ("Reason", "Rheswm"),
    "review.reason_hint": ("Needed to edit or reject. The citizen does not see it.",
                           "Mae ei angen i olygu neu wrthod. Nid yw\u2019r dinesydd yn ei weld."),
    "review.submit": ("Save decision", "Cadw\u2019r penderfyniad"),
    "review.decided": ("This item has been decided: {status}.", "Mae penderfyniad wedi\u2019i wneud ar yr eitem hon: {status}."),
    "queue_status.pending": ("Waiting", "Yn aros"),
    "queue_status.approved": ("Approved", "Wedi\u2019i gymeradwyo"),
    "queue_status.edited": ("Edited", "Wedi\u2019i olygu"),
    "queue_status.rejected": ("Rejected", "Wedi\u2019i wrthod"),
    "flash.decided_approve": ("Item {id} approved. The citizen can now see the answer.",
                              "Eitem {id} wedi\u2019i chymeradwyo. Gall y dinesydd weld yr ateb nawr."),
    "flash.decided_edit": ("Item {id} edited. The citizen can now see your answer.",
                           "Eitem {id} wedi\u2019i golygu. Gall y dinesydd weld eich ateb nawr."),
    "flash.decided_reject": ("Item {id} rejected. The citizen has been told to contact the service.",
                             "Eitem {id} wedi\u2019i gwrthod. Mae\u2019r dinesydd wedi cael gwybod i gysylltu â\u2019r gwasanaeth."),
    "flash.already_decided": ("Item {id} had already been decided by someone else.",
                              "Roedd rhywun arall eisoes wedi gwneud penderfyniad ar eitem {id}."),
    "filter.service": ("Service", "Gwasanaeth"),
    "filter.all_services": ("All services", "Pob gwasanaeth"),
    "filter.status": ("Status", "Statws"),
    "filter.apply": ("Show", "Dangos"),
    # --- staff: admin ----------------------------------------------------------------------
    "admin.title": ("Services", "Gwasanaethau"),
    "admin.back": ("Back to services", "Yn ôl i\u2019r gwasanaethau"),
    "admin.services": ("Your organisation's services", "Gwasanaethau eich sefydliad"),
    "admin.service": ("Service", "Gwasanaeth"),
    "admin.kb": ("Knowledge base", "Sylfaen wybodaeth"),
    "admin.providers": ("Providers", "Darparwyr"),
    "admin.classification": ("Classification", "Dosbarthiad"),
    "admin.status": ("Status", "Statws"),
    "admin.on": ("On", "Ymlaen"),
    "admin.off": ("Off", "I ffwrdd"),
    "admin.yes": ("Yes", "Ydy"),
    "admin.no": ("No", "Nac ydy"),
    "admin.switch_heading": ("Kill switch", "Switsh diffodd"),
    "admin.changed_by": ("changed by {who}", "newidiwyd gan {who}"),
    "admin.switch_legend": ("Is the service on?", "Ydy\u2019r gwasanaeth ymlaen?"),
    "admin.switch_hint": (
        "When it is off, every question gets the 'not available' reply without any model being used.",
        "Pan fydd i ffwrdd, mae pob cwestiwn yn cael yr ateb \u2018ddim ar gael\u2019 heb ddefnyddio unrhyw fodel.",
    ),
    "admin.switch_on": ("On", "Ymlaen"),
    "admin.switch_off": ("Off", "I ffwrdd"),
    "admin.switch_reason": ("Reason", "Rheswm"),
    "admin.switch_reason_hint": ("Recorded in the audit trail, for example an incident number.",
                                 "Wedi\u2019i gofnodi yn y trywydd archwilio, er enghraifft rhif digwyddiad."),
    "admin.switch_submit": ("Save", "Cadw"),
    "admin.profile": ("Service profile", "Proffil y gwasanaeth"),
    "admin.tenant": ("Organisation", "Sefydliad"),
    "admin.uk_only": ("UK only", "DU yn unig"),
    "admin.personal_data": ("Personal data", "Data personol"),
    "admin.review_rules": ("Review rules", "Rheolau adolygu"),
    "admin.retention": ("Kept for", "Yn cael ei gadw am"),
    "admin.retention_value": ("conversations {conversation} days, audit {audit} days",
                              "sgyrsiau {conversation} diwrnod, archwilio {audit} diwrnod"),
    "admin.rate": ("Questions per citizen", "Cwestiynau fesul dinesydd"),
    "admin.rate_value": ("{rate} a minute", "{rate} y funud"),
    "admin.steps": ("Pipeline steps", "Camau\u2019r broses"),
    "admin.profile_yaml": ("Show the profile as YAML", "Dangos y proffil fel YAML"),
    "admin.providers_title": ("Providers and their health", "Darparwyr a\u2019u hiechyd"),
    "admin.assurance_title": ("Evaluation and transparency", "Gwerthuso a thryloywder"),
    "admin.evaluation_run": ("Evaluation report", "Adroddiad gwerthuso"),
    "admin.evaluation_report": ("Report of run {run}", "Adroddiad rhediad {run}"),
    "admin.evaluation_finished": ("Finished", "Wedi gorffen"),
    "admin.evaluation_suites": ("Suites", "Cyfresi"),
    "admin.evaluation_complete": ("Complete", "Cyflawn"),
    "admin.evaluation_partial": ("Partial", "Rhannol"),
    "admin.evaluations_none": (
        "This service has not been evaluated yet (govai eval run).",
        "Nid yw\u2019r gwasanaeth hwn wedi cael ei werthuso eto (govai eval run).",
    ),
    "admin.transparency": ("Algorithmic Transparency Record (ATRS)", "Cofnod Tryloywder Algorithmig (ATRS)"),
    "admin.providers_intro": (
        "The models your services may use, where they run, what they are approved for, and whether they answer "
        "now (checked at most every 30 seconds).",
        "Y modelau y gall eich gwasanaethau eu defnyddio, ble maent yn rhedeg, beth maent wedi\u2019u cymeradwyo ar ei "
        "gyfer, ac a ydynt yn ateb nawr (wedi\u2019u gwirio bob 30 eiliad ar y mwyaf).",
    ),
    "admin.provider": ("Provider", "Darparwr"),
    "admin.kind": ("Kind", "Math"),
    "admin.where": ("Jurisdiction and hosting", "Awdurdodaeth a lletya"),
    "admin.max_classification": ("Highest classification", "Dosbarthiad uchaf"),
    "admin.health": ("Health", "Iechyd"),
    "admin.healthy": ("Answering", "Yn ateb"),
    "admin.unhealthy": ("Not answering", "Ddim yn ateb"),
    "flash.switched_on": ("The service is on.", "Mae\u2019r gwasanaeth ymlaen."),
    "flash.switched_off": ("The service is off. Every question now gets the 'not available' reply.",
                           "Mae\u2019r gwasanaeth i ffwrdd. Mae pob cwestiwn nawr yn cael yr ateb \u2018ddim ar gael\u2019."),
    "metrics.title": ("Usage and outcomes", "Defnydd a chanlyniadau"),
    "metrics.days": ("Period", "Cyfnod"),
    "metrics.last_days": ("Last {days} days", "Y {days} diwrnod diwethaf"),
    "metrics.held": ("Held for review", "Wedi\u2019u dal i\u2019w hadolygu"),
    "metrics.outcomes_title": ("Answers by outcome, per day", "Atebion yn ôl canlyniad, fesul diwrnod"),
    "metrics.outcomes_desc": ("{total} requests: {parts}.", "{total} cais: {parts}."),
    "metrics.latency_title": ("Time to answer, per day", "Amser i ateb, fesul diwrnod"),
    "metrics.latency_desc": ("Median {median} ms, 95th percentile {p95} ms over the period.",
                             "Canolrif {median} ms, 95fed canradd {p95} ms dros y cyfnod."),
    "metrics.median": ("Median", "Canolrif"),
    "metrics.p95": ("95th percentile", "95fed canradd"),
    "metrics.top_sources": ("Most cited pages", "Y tudalennau a ddyfynnwyd fwyaf"),
    "metrics.guard_verdicts": ("Guard verdicts", "Dyfarniadau\u2019r gwarchodwyr"),
    "metrics.none": ("None in this period", "Dim yn y cyfnod hwn"),
    "metrics.as_table": ("Show the figures as a table", "Dangos y ffigurau fel tabl"),
    "metrics.day": ("Day", "Diwrnod"),
    "metrics.from_audit": ("Counted from the audit trail of each service.",
                           "Wedi\u2019u cyfrif o drywydd archwilio pob gwasanaeth."),
    "outcome.answered": ("Answered", "Wedi ateb"),
    "outcome.abstained": ("No answer found", "Dim ateb"),
    "outcome.refused": ("Refused or held", "Wedi gwrthod neu ddal"),
    "outcome.blocked": ("Blocked", "Wedi rhwystro"),
    "outcome.error": ("Error", "Gwall"),
    "flagged.title": ("Flagged passages", "Darnau wedi\u2019u nodi"),
    "flagged.intro": ("Passages of your guidance that the source screen found instructions in when they were "
                      "loaded. Answers do not use a passage while the current screen still flags it. Check each "
                      "one, correct the source if it is genuine guidance, and load it again.",
                      "Darnau o\u2019ch canllawiau y daeth y sgrin ffynonellau o hyd i gyfarwyddiadau ynddynt pan "
                      "gawsant eu llwytho. Nid yw atebion yn defnyddio darn tra bo\u2019r sgrin bresennol yn dal i\u2019w "
                      "nodi. Gwiriwch bob un, cywirwch y ffynhonnell os yw\u2019n ganllaw dilys, a\u2019i llwytho eto."),
    "flagged.count": ("{count} passages", "{count} darn"),
    "flagged.source": ("Source", "Ffynhonnell"),
    "flagged.now": ("Flagged now", "Wedi\u2019i nodi nawr"),
    "flagged.passage": ("Passage", "Darn"),
    "flagged.ingest_again": ("Load it again to clear the flag.", "Llwythwch ef eto i glirio\u2019r nodyn."),
    "flagged.empty": ("No passage was flagged when the guidance was loaded.",
                      "Ni chafodd unrhyw ddarn ei nodi pan lwythwyd y canllawiau."),
    "feedback_admin.title": ("Feedback", "Adborth"),
    "feedback_admin.useful": ("Useful", "Defnyddiol"),
    "feedback_admin.any": ("Any", "Unrhyw"),
    "feedback_admin.count": ("{count} responses", "{count} ymateb"),
    "feedback_admin.when": ("When", "Pryd"),
    "feedback_admin.comment": ("Comment", "Sylw"),
    "feedback_admin.outcome": ("Outcome", "Canlyniad"),
    "feedback_admin.empty": ("There is no feedback to show.", "Does dim adborth i\u2019w ddangos."),
    # --- staff: audit ----------------------------------------------------------------------
    "audit.title": ("Audit trail", "Trywydd archwilio"),
    "audit.intro": ("Every decision of your organisation's services, newest first. You can also",
                    "Pob penderfyniad gan wasanaethau eich sefydliad, y mwyaf diweddar yn gyntaf. Gallwch hefyd"),
    "audit.since": ("From", "O"),
    "audit.until": ("Before", "Cyn"),
    "audit.date_hint": ("For example, 2025-04-01", "Er enghraifft, 2025-04-01"),
    "audit.request_id": ("Request or conversation id", "Dynodwr cais neu sgwrs"),
    "audit.outcome": ("Outcome", "Canlyniad"),
    "audit.search": ("Search", "Chwilio"),
    "audit.count": ("{count} records", "{count} cofnod"),
    "audit.when": ("When", "Pryd"),
    "audit.service_seq": ("Service and number", "Gwasanaeth a rhif"),
    "audit.record": ("Record", "Cofnod"),
    "audit.show": ("Show record {hash}", "Dangos cofnod {hash}"),
    "audit.empty": ("No records match.", "Nid oes unrhyw gofnodion yn cyfateb."),
    "audit.back": ("Back to the audit trail", "Yn ôl i\u2019r trywydd archwilio"),
    "verify.title": ("Verify the audit chains", "Gwirio\u2019r cadwyni archwilio"),
    "verify.run": ("Verify", "Gwirio"),
    "verify.ok": ("The audit trail is intact", "Mae\u2019r trywydd archwilio yn gyfan"),
    "verify.ok_text": ("{count} chains checked", "{count} cadwyn wedi\u2019u gwirio"),
    "verify.failed": ("The audit trail has problems", "Mae problemau gyda\u2019r trywydd archwilio"),
    "verify.chains": ("Chains", "Cadwyni"),
    "verify.explain": (
        "Each service's records form a hash chain; verifying recomputes every hash and checks the signed "
        "checkpoints, so an edited, deleted or reordered record is found.",
        "Mae cofnodion pob gwasanaeth yn ffurfio cadwyn stwnsh; mae gwirio yn ailgyfrifo pob stwnsh ac yn gwirio\u2019r "
        "pwyntiau gwirio wedi\u2019u llofnodi, felly mae cofnod sydd wedi\u2019i olygu, ei ddileu neu ei aildrefnu yn "
        "cael ei ganfod.",
    ),
}
