/**
 * The Hindi words of shop settings, the sale's B2B part, the invoice screen and the printed
 * invoice; part of the Hindi catalogue (hi.ts), typed by the English one's shape.
 */
import type {Invoicing} from './en-invoicing';

// Hindi words for 0-99, for the amount in words: Hindi numbers below a hundred are each their own word.
const NUMBERS = ('शून्य एक दो तीन चार पाँच छह सात आठ नौ दस ग्यारह बारह तेरह चौदह पंद्रह सोलह सत्रह अठारह उन्नीस '
  + 'बीस इक्कीस बाईस तेईस चौबीस पच्चीस छब्बीस सत्ताईस अट्ठाईस उनतीस तीस इकतीस बत्तीस तैंतीस चौंतीस पैंतीस '
  + 'छत्तीस सैंतीस अड़तीस उनतालीस चालीस इकतालीस बयालीस तैंतालीस चवालीस पैंतालीस छियालीस सैंतालीस अड़तालीस '
  + 'उनचास पचास इक्यावन बावन तिरपन चौवन पचपन छप्पन सत्तावन अट्ठावन उनसठ साठ इकसठ बासठ तिरसठ चौंसठ पैंसठ '
  + 'छियासठ सड़सठ अड़सठ उनहत्तर सत्तर इकहत्तर बहत्तर तिहत्तर चौहत्तर पचहत्तर छिहत्तर सतहत्तर अठहत्तर उन्यासी '
  + 'अस्सी इक्यासी बयासी तिरासी चौरासी पचासी छियासी सत्तासी अट्ठासी नवासी नब्बे इक्यानवे बानवे तिरानवे '
  + 'चौरानवे पचानवे छियानवे सत्तानवे अट्ठानवे निन्यानवे').split(' ');

// the states' names in Hindi, by GST state code (as the GST portal's Hindi pages name them)
const STATES = {'01': 'जम्मू और कश्मीर', '02': 'हिमाचल प्रदेश', '03': 'पंजाब', '04': 'चंडीगढ़', '05': 'उत्तराखंड',
  '06': 'हरियाणा', '07': 'दिल्ली', '08': 'राजस्थान', '09': 'उत्तर प्रदेश', '10': 'बिहार', '11': 'सिक्किम',
  '12': 'अरुणाचल प्रदेश', '13': 'नागालैंड', '14': 'मणिपुर', '15': 'मिज़ोरम', '16': 'त्रिपुरा', '17': 'मेघालय',
  '18': 'असम', '19': 'पश्चिम बंगाल', '20': 'झारखंड', '21': 'ओडिशा', '22': 'छत्तीसगढ़', '23': 'मध्य प्रदेश',
  '24': 'गुजरात', '25': 'दमन और दीव', '26': 'दादरा और नगर हवेली और दमन और दीव', '27': 'महाराष्ट्र',
  '28': 'आंध्र प्रदेश (2014 से पहले)', '29': 'कर्नाटक', '30': 'गोवा', '31': 'लक्षद्वीप', '32': 'केरल',
  '33': 'तमिलनाडु', '34': 'पुडुचेरी', '35': 'अंडमान और निकोबार द्वीपसमूह', '36': 'तेलंगाना', '37': 'आंध्र प्रदेश',
  '38': 'लद्दाख', '97': 'अन्य क्षेत्र'};

export const invoicingHi: Invoicing = {
  settings: {
    title: 'दुकान की सेटिंग्स',
    intro: 'ये जानकारी हर इनवॉइस पर छपती है। GSTIN हो तो इनवॉइस "टैक्स इनवॉइस" होता है; न हो तो "बिल ऑफ़ सप्लाई"।',
    name: 'दुकान का नाम',
    address: 'पता (इनवॉइस पर छपता है)',
    gstin: 'GSTIN (15 अक्षर, ज़रूरी नहीं)',
    gstinPlaceholder: 'जैसे 33AAACM1234A1ZF',
    state: 'राज्य (CGST + SGST या IGST के लिए)',
    noState: '— नहीं चुना —',
    roundOff: 'बिल का कुल पूरे रुपये में करें (राउंड ऑफ़)',
    save: 'सहेजें',
    saved: 'सहेज लिया। नए इनवॉइस पर यही जानकारी छपेगी।',
    loading: 'दुकान की जानकारी लोड हो रही है…',
    offline: 'दुकान की सेटिंग्स के लिए इंटरनेट चाहिए: कनेक्ट करके यह स्क्रीन फिर खोलें। बिल ऑफ़लाइन भी बनते रहेंगे।',
    stale: 'इसी बीच यह जानकारी कहीं और बदली गई: स्क्रीन पर अब नई जानकारी है; अपना बदलाव फिर से करें।',
    nameRequired: 'दुकान का नाम डालें।',
    gstinState: 'GSTIN {code} से शुरू होता है: राज्य {state} होना चाहिए।',
    loginAgain: 'आपका लॉग इन खत्म हो गया: दुकान की सेटिंग्स बदलने के लिए फिर से लॉग इन करें।',
    upiId: 'पेमेंट के लिए UPI ID (ज़रूरी नहीं)',
    upiPlaceholder: 'जैसे shopname@okaxis',
    upiFormat: 'UPI ID ऐसी होती है: shopname@okaxis — अक्षर, अंक, बिंदु, डैश या अंडरस्कोर, फिर @ और आपके बैंक या ऐप का नाम।',
  },
  upiPay: {
    scan: 'ग्राहक: किसी भी UPI ऐप से स्कैन करके भुगतान करें',
    payee: '{name} ({vpa}) को भुगतान',
    qrLabel: '{amount} का UPI QR कोड',
    received: '{amount} UPI से मिल गए',
    noUpiId: 'यहाँ UPI QR दिखाने के लिए "दुकान" में अपनी UPI ID जोड़ें।',
    counterNote: 'बिल का भुगतान',
    dueNote: '{date} के बिल का बकाया',
    printDue: 'बकाया बिल प्रिंट करें',
  },
  gstin: {
    format: 'GSTIN में 15 अक्षर होते हैं: 2 अंक, 10 अक्षर-अंक (PAN), फिर 1, Z और 1 और, जैसे 33AAACM1234A1ZF।',
    checkDigit: 'इस GSTIN में टाइपिंग की गलती है: आखिरी अक्षर बाकी से मेल नहीं खाता। हर अक्षर जाँचें।',
  },
  buyer: {
    summary: 'बिज़नेस ग्राहक (GSTIN, आपूर्ति का स्थान) — ज़रूरी नहीं',
    gstin: 'ग्राहक का GSTIN',
    name: 'ग्राहक का रजिस्टर्ड नाम',
    address: 'ग्राहक का पता',
    gstinPlaceholder: 'जैसे 29AAACM1234A1Z4',
    place: 'आपूर्ति का स्थान',
    placeShop: 'इस दुकान का राज्य ({state})',
    placeNone: 'दुकान पर (सीधे ग्राहक)',
    inter: 'दूसरा राज्य: IGST लगेगा।',
    intra: 'वही राज्य: CGST + SGST लगेगा।',
    noShopState: 'दूसरे राज्यों पर IGST लगाने के लिए "दुकान" में अपनी दुकान का राज्य चुनें।',
    gstinProblem: 'ग्राहक का GSTIN: {problem}',
  },
  invoice: {
    title: 'इनवॉइस {number}',
    frameTitle: 'इनवॉइस',
    issued: 'पूरा भुगतान: इनवॉइस {number}, {total} का, जारी हुआ।',
    paper: 'कागज़',
    paperA4: 'A4',
    paper80: '80 mm रसीद',
    paper58: '58 mm रसीद',
    print: 'प्रिंट',
    sharePdf: 'PDF भेजें',
    whatsappText: 'WhatsApp पर भेजें',
    downloadPdf: 'PDF डाउनलोड करें',
    making: 'PDF बन रहा है…',
    shared: 'इनवॉइस {number} {app} को दे दिया गया। वहाँ देख लें कि भेजा गया।',
    sharedApp: 'आपके चुने ऐप',
    cancelled: 'नहीं भेजा: शेयर करने की स्क्रीन बंद कर दी गई। कुछ नहीं भेजा गया।',
    waOpened: 'WhatsApp में इनवॉइस {number} और उसका कुल {total} खुल गया। वहाँ भेजें दबाएँ। जोड़ने के लिए PDF नीचे तैयार है।',
    waBlocked: 'इनवॉइस {number} और उसका कुल {total} WhatsApp में खोलने के लिए लिंक पर टैप करें:',
    message: '{shop} से इनवॉइस {number}: कुल {total}। धन्यवाद!',
    ourShop: 'हमारी दुकान',
    failed: 'PDF नहीं बन सका: {error}',
    creditNotes: () => 'इस इनवॉइस पर क्रेडिट नोट',
    line: (n: number) => `लाइन ${n}`,
    net: (total: string, credited: string, net: string) =>
      `इनवॉइस ${total} − वापस ${credited} = शुद्ध ${net}। इनवॉइस खुद जैसा जारी हुआ वैसा ही रहता है।`,
  },
  /*
   * The printed invoice in Hindi. Its title is bilingual ("टैक्स इनवॉइस / Tax Invoice"): the title is
   * the document's legal name (CGST Rule 46), and the invoice travels beyond the counter (to a
   * business buyer's accountant, a GST officer, a bank) where the English name is the one looked
   * for, while the shop's own customers read the Hindi. The rest is Hindi, with GSTIN, HSN, CGST,
   * SGST and IGST as on every Indian invoice, figures in Latin digits and the amount in Hindi words.
   */
  print: {
    taxInvoice: 'टैक्स इनवॉइस / Tax Invoice', billOfSupply: 'बिल ऑफ़ सप्लाई / Bill of Supply', gstin: 'GSTIN',
    state: 'राज्य', phone: 'फ़ोन', billTo: 'ग्राहक', invoiceNo: 'इनवॉइस नं.', date: 'तारीख',
    placeOfSupply: 'आपूर्ति का स्थान', supply: 'आपूर्ति', interState: 'अंतर-राज्यीय (IGST)',
    intraState: 'राज्य के भीतर (CGST + SGST)', reverseCharge: 'रिवर्स चार्ज', no: 'नहीं', num: '#',
    description: 'विवरण', hsn: 'HSN', qty: 'मात्रा', rate: 'दर (₹)', discount: 'छूट', taxable: 'कर योग्य मूल्य',
    gst: 'GST', cgstSgst: 'CGST / SGST', cgst: 'CGST', sgst: 'SGST', igst: 'IGST', amount: 'रकम (₹)',
    totalTax: 'कुल कर', hsnSummary: 'HSN सारांश', roundOff: 'राउंड ऑफ़', total: 'कुल', inclGst: 'GST सहित',
    less: 'छूट', signatory: 'अधिकृत हस्ताक्षरकर्ता', forShop: 'कृते', none: '—', item: 'आइटम',
    creditNote: 'क्रेडिट नोट / Credit Note', creditNoteNo: 'क्रेडिट नोट नं.', againstInvoice: 'मूल इनवॉइस',
    invoiceDate: 'इनवॉइस की तारीख', reason: 'कारण', refundedBy: 'पैसे लौटाए', cash: 'नकद', upi: 'UPI', card: 'कार्ड',
    other: 'अन्य',
    billDiscount: 'पूरे बिल पर छूट ₹ {amount}{percent}: टैक्स से पहले सभी आइटम में बाँटी गई, हर आइटम की छूट में शामिल।',
    dueBill: 'बिल (भुगतान बाकी)', paid: 'भुगतान हुआ', due: 'बाकी',
    scanToPay: 'किसी भी UPI ऐप से ₹ {amount} भुगतान करने के लिए स्कैन करें', upiId: 'UPI ID',
    words: '{rupees} रुपये मात्र', wordsPaise: '{rupees} रुपये और {paise} पैसे मात्र', zero: 'शून्य',
    hundred: 'सौ', thousand: 'हज़ार', lakh: 'लाख', crore: 'करोड़',
    numbers: NUMBERS,
    states: STATES,
    dateLocale: 'hi-IN-u-nu-latn',
    units: {pcs: 'पीस', kg: 'किलो', g: 'ग्राम', l: 'लीटर', ml: 'मि.ली.', m: 'मीटर', cm: 'से.मी.', ft: 'फ़ुट',
      sqft: 'वर्ग फ़ुट', box: 'डिब्बा', set: 'सेट', pair: 'जोड़ी', dozen: 'दर्जन', pack: 'पैक', roll: 'रोल',
      bag: 'बैग', bottle: 'बोतल', can: 'कैन'},
  },
};
