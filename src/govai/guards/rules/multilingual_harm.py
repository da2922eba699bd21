"""Weapons, drugs and killing asked about in other languages (the classifier only knows the
languages it was trained on)."""

from __future__ import annotations

from govai.guards.rules.base import Rule, alt

MULTI_HOWTO = alt(
    r"\b(?:comment|wie|cómo|como|come|jak|cum|hoe|sut|hur|hvordan|miten|hogyan|kaip|kako|jinsi|ninawezaje|"
    r"nasıl|bagaimana|cara|làm thế nào|làm sao|paano|si|qanday|explique|erkläre|explícame|spiegami|wyjaśnij|"
    r"recette|anleitung|instrucciones|istruzioni|instrukcja|tutorial)\b",
    r"(?:как|як|како|кака|كيف|چگونه|چطور|איך|怎么|怎样|如何|教我|どうやって|作り方|어떻게|कैसे|کیسے|কীভাবে|কিভাবে|"
    r"ਕਿਵੇਂ|எப்படி|કેવી રીતે|πώς|пошагово|步骤)",
)

MULTI_WEAPON = alt(
    r"\b(?:bombes?|bomben?|bombas?|bombe|bomby|bombę|bombă|bom|bommen|bomu|bomba[sy]?|pommi|bombát|bomber|"
    r"explosifs?|sprengstoff|explosivos?|esplosivi?|materiały wybuchowe|explozibil|springstof|ffrwydron|"
    r"patlayıcı|bahan peledak|chất nổ|vilipuzi|armes? à feu|schusswaffen?|armas? de fuego|armi da fuoco|"
    r"broń palną|gwn|silah|senjata api|súng|bunduki|sarin|ricin|napalm|méthamphétamine|metanfetamina|"
    r"methamphetamin|metamfetamina|metamfetamină|cocaïne|kokain[aeę]?|cocaína|cocaina|héroïne|heroin[ae]?|"
    r"heroína|fentanyl[aeu]?|fentanilo|poisons? mortels?|veneno mortal|tödliches gift)\b",
    r"(?:бомб[уаы]|взрывчатк|вибухівк|огнестрельн|вогнепальн|метамфетамин|кокаин|героин|قنبلة|قنابل|متفجرات|"
    r"سلاح|کوکائین|بمب|פצצה|炸弹|炸药|枪支|冰毒|可卡因|海洛因|爆弾|爆発物|覚醒剤|폭탄|마약|बम|विस्फोटक|"
    r"बंदूक|بم|دھماکہ خیز|বোমা|বিস্ফোরক|ਬੰਬ|குண்டு|બોમ્બ|βόμβα|εκρηκτικ|όπλο)",
)

MULTI_MAKE_GET = alt(
    r"\b(?:fabriquer|faire|construire|acheter|obtenir|bauen|herstellen|machen|kaufen|besorgen|fabricar|hacer|"
    r"construir|comprar|conseguir|costruire|fare|comprare|procurarsi|fazer|construir|arranjar|zrobić|zbudować|"
    r"kupić|zdobyć|fac|construiesc|cumpăr|maken|bouwen|kopen|wneud|adeiladu|prynu|yapmak|yapılır|yapabilirim|"
    r"almak|membuat|merakit|membeli|chế tạo|làm|mua|kutengeneza|kununua|valmistaa|ostaa|tillverka|köpa|lage|kjøpe|"
    r"napraviti|kupiti|elkészíteni|pagaminti|nusipirkti|synthétiser|synthetisieren|sintetizar|sintetizzare|cook|cuire)\b",
    r"(?:сделать|изготовить|собрать|купить|достать|зробити|виготовити|купити|صنع|أصنع|اصنع|شراء|أشتري|بسازم|بخرم|"
    r"לייצר|לקנות|制作|制造|做|买|合成|作る|買う|만들|사|बनाऊं|बनाना|बनाएं|खरीद|بناؤں|بنانا|خرید|বানাব|বানানো|"
    r"কিনব|ਬਣਾ|தயாரி|બનાવ|φτιάξω|φτιάξεις|κατασκευάσω|αγοράσω)",
)

MULTI_KILL = alt(
    r"\b(?:tuer|assassiner|empoisonner|égorger|poignarder|étrangler|töten|umbringen|ermorden|vergiften|erstechen|"
    r"erwürgen|matar|asesinar|envenenar|apuñalar|estrangular|uccidere|ammazzare|avvelenare|accoltellare|"
    r"strangolare|assassinar|esfaquear|zabić|zamordować|otruć|zadźgać|udusić|omor|omorî|ucide|otrăvesc|"
    r"vermoorden|doden|vergiftigen|lladd|llofruddio|gwenwyno|öldür\w*|zehirle\w*|bunuh|membunuh|meracuni|giết|"
    r"đầu độc|kuua|kumuua|kumtia sumu|tappaa|myrkyttää|döda|mörda|drepe|ubiti|otrovati|megölni|nužudyti|užmušti|"
    r"nunužudyti|apnuodyti|patayin)\b",
    r"(?:убить|убивать|отравить|зарезать|задушить|вбити|отруїти|зарізати|قتل|أقتل|اقتل|تسميم|أسمم|بکشم|کشتن|להרוג|"
    r"杀死|杀掉|杀人|毒死|谋杀|殺す|殺し方|죽이|살해|मारूं|मारना|हत्या|ज़हर|قتل کروں|مارنا|زہر|হত্যা|মারব|মেরে ফেল|"
    r"ਮਾਰ|கொல்ல|મારી નાખ|σκοτώσω|σκοτώσεις|δηλητηριάσω)",
)

MULTI_REPORT = alt(
    r"\b(?:signaler|dénoncer|melden|anzeigen|denunciar|informar|segnalare|denunciare|zgłosić|raportez|semnalez|"
    r"melden|rhoi gwybod|bildirmek|ihbar|melaporkan|báo cáo|kuripoti|ilmoittaa|anmäla|prijaviti|bejelenteni|"
    r"pranešti|pénalité|strafe|pena|multa|sanzione|kara|amendă|straf|cosb|ceza|hukuman|phạt|adhabu|rangaistus)\b",
    r"(?:сообщить|заявить|штраф|наказание|повідомити|покарання|الإبلاغ|عقوبة|گزارش|לדווח|举报|报告|处罚|通報|신고|"
    r"रिपोर्ट|सज़ा|رپورٹ|سزا|রিপোর্ট|শাস্তি|αναφέρω|ποινή)",
)

PROMPT_RULES = (
    Rule("weapons-drugs-multilingual", "harm", 0.85, [MULTI_WEAPON, MULTI_MAKE_GET, MULTI_HOWTO], window=80,
         unless=MULTI_REPORT),
    Rule("violence-multilingual", "harm", 0.85, [MULTI_KILL, MULTI_HOWTO], window=80, unless=MULTI_REPORT),
)
