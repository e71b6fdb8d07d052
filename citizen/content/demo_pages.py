"""Demo information pages, written for this project in plain English (reading age about 9).

The English pages were written by the project team from NHS guidance. The Arabic, Urdu and
Polish texts are MACHINE-DRAFTED: nobody from a community has checked them yet, so the demo
puts them in draft or in review, never community reviewed or published.
"""

from __future__ import annotations

TOPICS = [
    ("staying-well-in-winter", "Staying well in winter",
     "Cold weather can be hard on your health. Simple steps help you stay warm and safe."),
    ("vaccinations", "Vaccinations", "Vaccines protect you, your family and people around you."),
    ("finding-help", "Finding help",
     "Where to go when you feel unwell, and who to talk to when life feels hard."),
]

# slug, topic slug, pillar, {locale: (title, summary, body)}, {locale: status}
PAGES: list[dict[str, object]] = [
    {
        "slug": "keep-warm-at-home",
        "topic": "staying-well-in-winter",
        "pillar": "wider_determinants",
        "texts": {
            "en": (
                "Keep warm at home this winter",
                "Cold weather can make you ill. These simple steps help you stay warm and well.",
                "<h2>Heat your home</h2><ul><li>Heat the rooms you use most to at least 18°C.</li>"
                "<li>Close curtains when it gets dark.</li><li>Keep your bedroom window shut at night."
                "</li></ul><h2>Look after yourself</h2><ul><li>Wear a few thin layers of clothes.</li>"
                "<li>Eat at least one hot meal a day.</li><li>Have hot drinks through the day.</li>"
                "<li>Try to move about every hour.</li></ul><h2>Help with bills</h2><p>If you are "
                "worried about paying for heating, talk to your energy supplier. You may get help "
                "such as the Warm Home Discount. Your local council can also tell you about help "
                "near you.</p><p>Check on neighbours and family who live alone, most of all older "
                "people.</p>",
            ),
            "ar": (
                "حافظ على الدفء في منزلك هذا الشتاء",
                "الطقس البارد قد يسبب المرض. هذه الخطوات البسيطة تساعدك على البقاء دافئًا وبصحة جيدة.",
                "<h2>دفّئ منزلك</h2><ul><li>دفّئ الغرف التي تستخدمها أكثر إلى 18 درجة مئوية على الأقل."
                "</li><li>أغلق الستائر عندما يحلّ الظلام.</li><li>أبقِ نافذة غرفة النوم مغلقة في الليل.</li>"
                "</ul><h2>اعتنِ بنفسك</h2><ul><li>ارتدِ عدة طبقات رقيقة من الملابس.</li><li>تناول وجبة "
                "ساخنة واحدة على الأقل كل يوم.</li><li>اشرب مشروبات ساخنة خلال اليوم.</li><li>حاول أن "
                "تتحرك كل ساعة.</li></ul><h2>المساعدة في دفع الفواتير</h2><p>إذا كنت قلقًا بشأن دفع "
                "تكاليف التدفئة، تحدّث مع شركة الطاقة التي تتعامل معها. قد تحصل على مساعدة مثل خصم "
                "المنزل الدافئ (<span lang=\"en\" dir=\"ltr\">Warm Home Discount</span>). ويمكن لمجلسك "
                "المحلي أن يخبرك عن المساعدة المتوفرة بالقرب منك.</p><p>اطمئن على جيرانك وأقاربك الذين "
                "يعيشون وحدهم، وخاصة كبار السن.</p>",
            ),
            "ur": (
                "اس سردی میں گھر کو گرم رکھیں",
                "سرد موسم آپ کو بیمار کر سکتا ہے۔ یہ آسان قدم آپ کو گرم اور صحت مند رہنے میں مدد دیتے ہیں۔",
                "<h2>اپنے گھر کو گرم رکھیں</h2><ul><li>جن کمروں کو آپ سب سے زیادہ استعمال کرتے ہیں انہیں کم "
                "از کم 18 ڈگری سینٹی گریڈ تک گرم رکھیں۔</li><li>اندھیرا ہونے پر پردے بند کر دیں۔</li><li>رات "
                "کو سونے کے کمرے کی کھڑکی بند رکھیں۔</li></ul><h2>اپنا خیال رکھیں</h2><ul><li>کپڑوں کی کئی "
                "پتلی تہیں پہنیں۔</li><li>دن میں کم از کم ایک گرم کھانا کھائیں۔</li><li>دن بھر گرم مشروبات "
                "پئیں۔</li><li>ہر گھنٹے تھوڑا چلنے پھرنے کی کوشش کریں۔</li></ul><h2>بلوں میں مدد</h2><p>اگر "
                "آپ کو ہیٹنگ کا بل ادا کرنے کی فکر ہے تو اپنی توانائی کمپنی سے بات کریں۔ آپ کو وارم ہوم "
                "ڈسکاؤنٹ (<span lang=\"en\" dir=\"ltr\">Warm Home Discount</span>) جیسی مدد مل سکتی ہے۔ آپ "
                "کی مقامی کونسل بھی آپ کو قریبی مدد کے بارے میں بتا سکتی ہے۔</p><p>اکیلے رہنے والے پڑوسیوں "
                "اور رشتہ داروں، خاص طور پر بزرگوں، کی خیریت معلوم کرتے رہیں۔</p>",
            ),
            "pl": (
                "Zadbaj o ciepło w domu tej zimy",
                "Zimno może wywołać chorobę. Te proste kroki pomogą Ci zachować ciepło i zdrowie.",
                "<h2>Ogrzewaj dom</h2><ul><li>Ogrzewaj pokoje, z których najczęściej korzystasz, do co "
                "najmniej 18°C.</li><li>Zasłaniaj zasłony, gdy robi się ciemno.</li><li>W nocy trzymaj "
                "okno w sypialni zamknięte.</li></ul><h2>Dbaj o siebie</h2><ul><li>Noś kilka cienkich "
                "warstw ubrań.</li><li>Jedz co najmniej jeden ciepły posiłek dziennie.</li><li>Pij "
                "ciepłe napoje w ciągu dnia.</li><li>Staraj się ruszać co godzinę.</li></ul><h2>Pomoc w "
                "opłaceniu rachunków</h2><p>Jeśli martwisz się, czy stać Cię na ogrzewanie, porozmawiaj "
                "ze swoim dostawcą energii. Możesz otrzymać pomoc, na przykład <span lang=\"en\">Warm "
                "Home Discount</span>. Twoja lokalna rada (council) też powie Ci o pomocy w okolicy."
                "</p><p>Odwiedzaj sąsiadów i bliskich, którzy mieszkają sami, zwłaszcza osoby starsze."
                "</p>",
            ),
        },
        "statuses": {"ar": "in_review", "ur": "in_review", "pl": "draft"},
    },
    {
        "slug": "stop-falls-at-home",
        "topic": "staying-well-in-winter",
        "pillar": "behaviours_lifestyles",
        "texts": {
            "en": (
                "Stop falls at home",
                "Many falls can be stopped. Small changes make your home safer.",
                "<h2>Make your home safer</h2><ul><li>Keep floors and stairs clear.</li><li>Use "
                "bright bulbs and a night light.</li><li>Put non-slip mats in the bath and shower."
                "</li><li>Ask about grab rails. Your council may fit them.</li></ul><h2>Look after "
                "your body</h2><ul><li>Wear shoes and slippers that fit well.</li><li>Have your eyes "
                "tested every year or two.</li><li>Ask your pharmacist to check your medicines. Some "
                "can make you dizzy.</li><li>Do exercises for strength and balance.</li></ul><h2>If "
                "you fall</h2><p>Stay calm. Do not get up too fast. If you are hurt, call for help. "
                "If you cannot get up, keep warm and try to move a little. A personal alarm can call "
                "help for you.</p>",
            ),
            "ar": (
                "تجنّب السقوط في المنزل",
                "يمكن منع كثير من حالات السقوط. تغييرات صغيرة تجعل منزلك أكثر أمانًا.",
                "<h2>اجعل منزلك أكثر أمانًا</h2><ul><li>أبقِ الأرضيات والدرج خالية من الأشياء.</li><li>"
                "استخدم مصابيح قوية وضوءًا ليليًا.</li><li>ضع سجادات مانعة للانزلاق في حوض الاستحمام وتحت "
                "الدش.</li><li>اسأل عن مقابض الإمساك. قد يركّبها لك المجلس المحلي.</li></ul><h2>اعتنِ "
                "بجسمك</h2><ul><li>ارتدِ أحذية ونعالًا مناسبة لقدميك.</li><li>افحص نظرك كل سنة أو سنتين."
                "</li><li>اطلب من الصيدلي مراجعة أدويتك. بعض الأدوية قد تسبب الدوخة.</li><li>مارس تمارين "
                "تقوّي العضلات وتحسّن التوازن.</li></ul><h2>إذا سقطت</h2><p>حافظ على هدوئك. لا تنهض "
                "بسرعة. إذا أُصبت، اطلب المساعدة. إذا لم تستطع النهوض، حافظ على دفئك وحاول أن تتحرك "
                "قليلًا. جهاز الإنذار الشخصي يمكنه طلب المساعدة لك.</p>",
            ),
            "ur": (
                "گھر میں گرنے سے بچیں",
                "گرنے کے بہت سے واقعات روکے جا سکتے ہیں۔ چھوٹی تبدیلیاں آپ کے گھر کو زیادہ محفوظ بناتی ہیں۔",
                "<h2>اپنے گھر کو محفوظ بنائیں</h2><ul><li>فرش اور سیڑھیوں کو صاف اور خالی رکھیں۔</li><li>تیز "
                "روشنی والے بلب اور رات کی روشنی استعمال کریں۔</li><li>نہانے کے ٹب اور شاور میں نہ پھسلنے "
                "والی چٹائیاں رکھیں۔</li><li>پکڑنے والی ریلنگ کے بارے میں پوچھیں۔ ہو سکتا ہے آپ کی کونسل "
                "انہیں لگا دے۔</li></ul><h2>اپنے جسم کا خیال رکھیں</h2><ul><li>ایسے جوتے اور چپل پہنیں جو "
                "ٹھیک سے فٹ ہوں۔</li><li>ہر ایک یا دو سال بعد اپنی آنکھوں کا معائنہ کروائیں۔</li><li>اپنے "
                "فارماسسٹ سے اپنی دوائیں چیک کروائیں۔ کچھ دوائیں چکر لا سکتی ہیں۔</li><li>طاقت اور توازن کی "
                "ورزشیں کریں۔</li></ul><h2>اگر آپ گر جائیں</h2><p>پرسکون رہیں۔ جلدی سے نہ اٹھیں۔ اگر آپ کو "
                "چوٹ لگی ہو تو مدد کے لیے پکاریں۔ اگر آپ اٹھ نہ سکیں تو خود کو گرم رکھیں اور تھوڑا ہلنے کی "
                "کوشش کریں۔ ذاتی الارم آپ کے لیے مدد بلا سکتا ہے۔</p>",
            ),
            "pl": (
                "Zapobiegaj upadkom w domu",
                "Wielu upadkom można zapobiec. Małe zmiany sprawiają, że dom jest bezpieczniejszy.",
                "<h2>Zadbaj o bezpieczny dom</h2><ul><li>Nie zostawiaj rzeczy na podłodze i schodach."
                "</li><li>Używaj jasnych żarówek i lampki nocnej.</li><li>Połóż maty antypoślizgowe w "
                "wannie i pod prysznicem.</li><li>Zapytaj o uchwyty. Rada (council) może je "
                "zamontować.</li></ul><h2>Dbaj o swoje ciało</h2><ul><li>Noś dobrze dopasowane buty i "
                "kapcie.</li><li>Badaj wzrok co rok lub dwa lata.</li><li>Poproś farmaceutę o "
                "sprawdzenie Twoich leków. Niektóre mogą powodować zawroty głowy.</li><li>Ćwicz siłę i "
                "równowagę.</li></ul><h2>Jeśli upadniesz</h2><p>Zachowaj spokój. Nie wstawaj zbyt "
                "szybko. Jeśli coś Cię boli, wezwij pomoc. Jeśli nie możesz wstać, staraj się nie "
                "zmarznąć i trochę się poruszać. Osobisty alarm może wezwać pomoc za Ciebie.</p>",
            ),
        },
        "statuses": {"ar": "in_review", "ur": "draft", "pl": "draft"},
    },
    {
        "slug": "flu-vaccine",
        "topic": "vaccinations",
        "pillar": "integrated_care",
        "texts": {
            "en": (
                "The flu vaccine: free for many people",
                "Flu can be serious. The vaccine is the best way to protect yourself and others.",
                "<p>Flu is not just a bad cold. It can make people very ill, and some need to go to "
                "hospital.</p><h2>Who can get it free</h2><ul><li>People aged 65 and over</li><li>"
                "People who are pregnant</li><li>People with some long-term health conditions</li>"
                "<li>Young children and school children (as a spray in the nose)</li><li>Carers and "
                "people who live in a care home</li></ul><h2>Where to get it</h2><p>Ask at your GP "
                "surgery or a pharmacy. It is best to have it in the autumn, before flu spreads.</p>"
                "<p>You can ask questions before you decide. Staff can use an interpreter. It is "
                "free.</p>",
            ),
            "ar": (
                "لقاح الإنفلونزا: مجاني لكثير من الناس",
                "قد تكون الإنفلونزا خطيرة. اللقاح هو أفضل طريقة لحماية نفسك والآخرين.",
                "<p>الإنفلونزا ليست مجرد زكام شديد. قد تجعل الناس مرضى جدًا، وبعضهم يحتاج إلى دخول "
                "المستشفى.</p><h2>من يمكنه الحصول عليه مجانًا</h2><ul><li>الأشخاص الذين تبلغ أعمارهم 65 "
                "عامًا أو أكثر</li><li>الحوامل</li><li>الأشخاص المصابون ببعض الأمراض طويلة الأمد</li><li>"
                "الأطفال الصغار وأطفال المدارس (على شكل بخاخ في الأنف)</li><li>مقدّمو الرعاية والأشخاص "
                "الذين يعيشون في دار رعاية</li></ul><h2>أين تحصل عليه</h2><p>اسأل في عيادة طبيبك العام "
                "(<span lang=\"en\" dir=\"ltr\">GP</span>) أو في الصيدلية. الأفضل أن تأخذه في الخريف، قبل "
                "أن تنتشر الإنفلونزا.</p><p>يمكنك طرح الأسئلة قبل أن تقرر. يمكن للموظفين الاستعانة بمترجم. "
                "هذا مجاني.</p>",
            ),
            "ur": (
                "فلو کی ویکسین: بہت سے لوگوں کے لیے مفت",
                "فلو سنگین ہو سکتا ہے۔ ویکسین اپنی اور دوسروں کی حفاظت کا بہترین طریقہ ہے۔",
                "<p>فلو صرف ایک شدید زکام نہیں ہے۔ یہ لوگوں کو بہت بیمار کر سکتا ہے، اور کچھ لوگوں کو ہسپتال "
                "جانا پڑتا ہے۔</p><h2>یہ کن لوگوں کو مفت مل سکتی ہے</h2><ul><li>65 سال یا اس سے زیادہ عمر "
                "کے لوگ</li><li>حاملہ خواتین</li><li>کچھ طویل مدتی بیماریوں والے لوگ</li><li>چھوٹے بچے اور "
                "اسکول کے بچے (ناک کے اسپرے کے طور پر)</li><li>دیکھ بھال کرنے والے اور کیئر ہوم میں رہنے "
                "والے لوگ</li></ul><h2>یہ کہاں سے لیں</h2><p>اپنی جی پی سرجری (<span lang=\"en\" "
                "dir=\"ltr\">GP</span>) یا فارمیسی میں پوچھیں۔ بہتر ہے کہ آپ اسے خزاں میں لگوائیں، فلو "
                "پھیلنے سے پہلے۔</p><p>فیصلہ کرنے سے پہلے آپ سوال پوچھ سکتے ہیں۔ عملہ ترجمان کی مدد لے سکتا "
                "ہے۔ یہ مفت ہے۔</p>",
            ),
            "pl": (
                "Szczepionka przeciw grypie: bezpłatna dla wielu osób",
                "Grypa może być groźna. Szczepionka to najlepszy sposób, by chronić siebie i innych.",
                "<p>Grypa to nie tylko silne przeziębienie. Może wywołać poważną chorobę, a niektóre "
                "osoby trafiają do szpitala.</p><h2>Kto może ją dostać bezpłatnie</h2><ul><li>Osoby w "
                "wieku 65 lat i starsze</li><li>Kobiety w ciąży</li><li>Osoby z niektórymi chorobami "
                "przewlekłymi</li><li>Małe dzieci i dzieci w wieku szkolnym (jako spray do nosa)</li>"
                "<li>Opiekunowie i osoby mieszkające w domu opieki</li></ul><h2>Gdzie się "
                "zaszczepić</h2><p>Zapytaj w swojej przychodni (GP) lub w aptece. Najlepiej zaszczepić "
                "się jesienią, zanim grypa zacznie się rozprzestrzeniać.</p><p>Przed decyzją możesz "
                "zadać pytania. Personel może skorzystać z pomocy tłumacza. To nic nie kosztuje.</p>",
            ),
        },
        "statuses": {"ar": "in_review", "ur": "in_review", "pl": "in_review"},
    },
    {
        "slug": "where-to-get-help",
        "topic": "finding-help",
        "pillar": "integrated_care",
        "texts": {
            "en": (
                "Where to get help when you feel unwell",
                "Choosing the right place gets you help faster.",
                "<h2>Pharmacy</h2><p>Pharmacists can help with many common problems, like coughs, "
                "sore throats and earache. You do not need an appointment.</p><h2>GP surgery</h2>"
                "<p>Contact your GP surgery about health problems that do not go away.</p><h2>NHS "
                "111</h2><p>Call 111 or go to <a href=\"https://111.nhs.uk\">111.nhs.uk</a> if you "
                "need help fast but it is not an emergency. It is free, day and night. You can ask "
                "for an interpreter.</p><h2>999</h2><p>Call 999 in an emergency. For example, chest "
                "pain, bad bleeding, or if someone cannot breathe well or is not awake.</p>",
            ),
            "ar": (
                "أين تحصل على المساعدة عندما تشعر بالمرض",
                "اختيار المكان المناسب يساعدك على الحصول على المساعدة بشكل أسرع.",
                "<h2>الصيدلية</h2><p>يستطيع الصيادلة المساعدة في كثير من المشكلات الشائعة، مثل السعال "
                "والتهاب الحلق وألم الأذن. لا تحتاج إلى موعد.</p><h2>عيادة الطبيب العام (<span lang=\"en\" "
                "dir=\"ltr\">GP</span>)</h2><p>تواصل مع عيادة طبيبك العام إذا كانت لديك مشكلة صحية لا "
                "تزول.</p><h2><span lang=\"en\" dir=\"ltr\">NHS 111</span></h2><p>اتصل بالرقم 111 أو ادخل "
                "إلى <a href=\"https://111.nhs.uk\" lang=\"en\" dir=\"ltr\">111.nhs.uk</a> إذا كنت تحتاج "
                "إلى مساعدة سريعة ولكنها ليست حالة طارئة. الخدمة مجانية ليلًا ونهارًا. يمكنك طلب مترجم."
                "</p><h2>999</h2><p>اتصل بالرقم 999 في حالة الطوارئ. مثلًا: ألم في الصدر، أو نزيف شديد، "
                "أو إذا كان شخص لا يستطيع التنفس جيدًا أو فاقدًا للوعي.</p>",
            ),
            "ur": (
                "جب آپ بیمار محسوس کریں تو مدد کہاں سے لیں",
                "صحیح جگہ کا انتخاب آپ کو جلدی مدد دلاتا ہے۔",
                "<h2>فارمیسی</h2><p>فارماسسٹ بہت سے عام مسائل میں مدد کر سکتے ہیں، جیسے کھانسی، گلے کی "
                "خراش اور کان کا درد۔ آپ کو اپوائنٹمنٹ کی ضرورت نہیں۔</p><h2>جی پی سرجری (<span lang=\"en\" "
                "dir=\"ltr\">GP</span>)</h2><p>ایسے صحت کے مسائل کے لیے جو ٹھیک نہ ہو رہے ہوں، اپنی جی پی "
                "سرجری سے رابطہ کریں۔</p><h2><span lang=\"en\" dir=\"ltr\">NHS 111</span></h2><p>اگر آپ "
                "کو جلدی مدد چاہیے لیکن یہ ایمرجنسی نہیں ہے تو 111 پر کال کریں یا <a "
                "href=\"https://111.nhs.uk\" lang=\"en\" dir=\"ltr\">111.nhs.uk</a> پر جائیں۔ یہ دن رات "
                "مفت ہے۔ آپ ترجمان مانگ سکتے ہیں۔</p><h2>999</h2><p>ایمرجنسی میں 999 پر کال کریں۔ مثال "
                "کے طور پر سینے میں درد، بہت زیادہ خون بہنا، یا اگر کوئی ٹھیک سے سانس نہ لے سکے یا ہوش میں "
                "نہ ہو۔</p>",
            ),
            "pl": (
                "Gdzie szukać pomocy, gdy źle się czujesz",
                "Wybór właściwego miejsca pozwala szybciej otrzymać pomoc.",
                "<h2>Apteka</h2><p>Farmaceuci pomagają w wielu częstych problemach, takich jak kaszel, "
                "ból gardła czy ból ucha. Nie musisz się umawiać.</p><h2>Przychodnia (GP)</h2><p>"
                "Skontaktuj się ze swoją przychodnią, jeśli problem ze zdrowiem nie mija.</p><h2>NHS "
                "111</h2><p>Zadzwoń pod 111 lub wejdź na <a href=\"https://111.nhs.uk\">111.nhs.uk</a>, "
                "jeśli potrzebujesz szybkiej pomocy, ale to nie jest nagły wypadek. To bezpłatne, w "
                "dzień i w nocy. Możesz poprosić o tłumacza.</p><h2>999</h2><p>W nagłym wypadku dzwoń "
                "pod 999. Na przykład przy bólu w klatce piersiowej, silnym krwawieniu albo gdy ktoś "
                "nie może dobrze oddychać lub jest nieprzytomny.</p>",
            ),
        },
        "statuses": {"ar": "in_review", "ur": "draft", "pl": "in_review"},
        "easy_read": {
            "en": (
                "Where to get help when you feel ill",
                "This is the Easy Read version.",
                "[pharmacy: A green pharmacy cross] A pharmacy can help with coughs and sore throats.\n"
                "You do not need to book.\n"
                "[doctor: A doctor] Your GP surgery can help if you stay ill.\n"
                "[phone: A telephone] Call 111 if you need help fast.\n"
                "111 is free. You can call day or night.\n"
                "[talk: Two people talking] You can ask for someone who speaks your language.\n"
                "[help: A hand helping] Call 999 if someone is very ill or badly hurt.",
            ),
            "ar": (
                "أين تحصل على المساعدة عندما تمرض",
                "هذه هي النسخة سهلة القراءة.",
                "[pharmacy: صليب الصيدلية الأخضر] الصيدلية تساعد في السعال والتهاب الحلق.\n"
                "لا تحتاج إلى موعد.\n"
                "[doctor: طبيب] عيادة طبيبك العام تساعدك إذا بقيت مريضًا.\n"
                "[phone: هاتف] اتصل بالرقم 111 إذا كنت تحتاج إلى مساعدة سريعة.\n"
                "الرقم 111 مجاني. يمكنك الاتصال ليلًا أو نهارًا.\n"
                "[talk: شخصان يتحدثان] يمكنك أن تطلب شخصًا يتكلم لغتك.\n"
                "[help: يد تساعد] اتصل بالرقم 999 إذا كان شخص مريضًا جدًا أو مصابًا بشدة.",
            ),
        },
        "easy_read_statuses": {"ar": "in_review"},
    },
    {
        "slug": "feeling-low-or-worried",
        "topic": "finding-help",
        "pillar": "behaviours_lifestyles",
        "texts": {
            "en": (
                "If you are feeling low or worried",
                "Everyone has hard times. Help is free, and you do not have to wait until things "
                "are very bad.",
                "<h2>Small things that help</h2><ul><li>Talk to someone you trust.</li><li>Get "
                "outside and move your body.</li><li>Try to go to sleep at the same time each night."
                "</li></ul><h2>Talk to someone</h2><ul><li>Your GP can talk with you about how you "
                "feel.</li><li>You can contact NHS Talking Therapies yourself. Search for \"NHS "
                "Talking Therapies\" online.</li><li>Samaritans listen, day or night. Call 116 123 "
                "for free.</li></ul><h2>In a crisis</h2><p>Call NHS 111 and choose the mental health "
                "option. If a life is in danger, call 999.</p>",
            ),
            "ar": (
                "إذا كنت تشعر بالحزن أو القلق",
                "الجميع يمرّون بأوقات صعبة. المساعدة مجانية، ولا داعي للانتظار حتى تسوء الأمور كثيرًا.",
                "<h2>أشياء صغيرة تساعد</h2><ul><li>تحدّث مع شخص تثق به.</li><li>اخرج من البيت وحرّك "
                "جسمك.</li><li>حاول أن تنام في الوقت نفسه كل ليلة.</li></ul><h2>تحدّث مع أحد</h2><ul><li>"
                "يمكن لطبيبك العام (<span lang=\"en\" dir=\"ltr\">GP</span>) أن يتحدث معك عن شعورك.</li>"
                "<li>يمكنك التواصل بنفسك مع خدمة <span lang=\"en\" dir=\"ltr\">NHS Talking Therapies"
                "</span>. ابحث عنها على الإنترنت.</li><li>منظمة <span lang=\"en\" dir=\"ltr\">Samaritans"
                "</span> تستمع إليك ليلًا ونهارًا. اتصل مجانًا على 116 123.</li></ul><h2>في الأزمات</h2>"
                "<p>اتصل بـ <span lang=\"en\" dir=\"ltr\">NHS 111</span> واختر خيار الصحة النفسية. إذا "
                "كانت حياة شخص في خطر، اتصل بالرقم 999.</p>",
            ),
            "ur": (
                "اگر آپ اداس یا پریشان محسوس کر رہے ہیں",
                "ہر کسی پر مشکل وقت آتا ہے۔ مدد مفت ہے، اور حالات بہت خراب ہونے تک انتظار "
                "کرنے کی ضرورت نہیں۔",
                "<h2>چھوٹی باتیں جو مدد کرتی ہیں</h2><ul><li>کسی ایسے شخص سے بات کریں جس پر آپ بھروسہ کرتے "
                "ہیں۔</li><li>باہر نکلیں اور جسم کو حرکت دیں۔</li><li>ہر رات ایک ہی وقت پر سونے کی کوشش "
                "کریں۔</li></ul><h2>کسی سے بات کریں</h2><ul><li>آپ کا جی پی (<span lang=\"en\" "
                "dir=\"ltr\">GP</span>) آپ سے آپ کے احساسات کے بارے میں بات کر سکتا ہے۔</li><li>آپ خود "
                "<span lang=\"en\" dir=\"ltr\">NHS Talking Therapies</span> سے رابطہ کر سکتے ہیں۔ انٹرنیٹ "
                "پر اسے تلاش کریں۔</li><li><span lang=\"en\" dir=\"ltr\">Samaritans</span> دن رات آپ کی بات "
                "سنتے ہیں۔ 116 123 پر مفت کال کریں۔</li></ul><h2>بحران میں</h2><p><span lang=\"en\" "
                "dir=\"ltr\">NHS 111</span> پر کال کریں اور ذہنی صحت کا آپشن چنیں۔ اگر کسی کی جان خطرے میں "
                "ہو تو 999 پر کال کریں۔</p>",
            ),
            "pl": (
                "Jeśli czujesz się przygnębiony lub martwisz się",
                "Każdy czasem przechodzi trudny okres. Pomoc jest bezpłatna i nie musisz czekać, aż "
                "będzie bardzo źle.",
                "<h2>Małe rzeczy, które pomagają</h2><ul><li>Porozmawiaj z kimś, komu ufasz.</li><li>"
                "Wyjdź na zewnątrz i poruszaj się.</li><li>Staraj się chodzić spać o stałej porze.</li>"
                "</ul><h2>Porozmawiaj z kimś</h2><ul><li>Twój lekarz rodzinny (GP) może porozmawiać z "
                "Tobą o tym, jak się czujesz.</li><li>Możesz sam zgłosić się do <span lang=\"en\">NHS "
                "Talking Therapies</span>. Wyszukaj tę nazwę w internecie.</li><li><span lang=\"en\">"
                "Samaritans</span> wysłuchają Cię w dzień i w nocy. Zadzwoń bezpłatnie pod 116 123.</li>"
                "</ul><h2>W kryzysie</h2><p>Zadzwoń pod NHS 111 i wybierz opcję dotyczącą zdrowia "
                "psychicznego. Jeśli czyjeś życie jest zagrożone, dzwoń pod 999.</p>",
            ),
        },
        "statuses": {"ar": "draft", "ur": "in_review", "pl": "draft"},
    },
]

PARTNER = ("Community Languages Network (demo)", "community-languages-network-demo",
           ["ar", "ur", "pl", "bn", "pa"])
