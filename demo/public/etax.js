// e-Tax-like filing: the filer's name and address from the card face (launchApp mode 04, as the
// real portals' 券面事項入力補助 does), then the server builds the XML and the SignedInfo hash and
// the card signs the hash.
import { fromUtf8Hex, launchApp, portalFailure, portalInputs, postJson, setStatus, showText, signOnSubmit } from '/api.js';

const SEX = { male: '男 (male)', female: '女 (female)', unknown: '不明 (unknown)', 'not-applicable': '適用不能 (n/a)' };

const fill = document.getElementById('fill-from-card');
const filerStatus = document.getElementById('filer-status');
fill.addEventListener('click', async () => {
  if (!portalInputs().ok) {
    setStatus(
      filerStatus,
      'ng',
      'このサイトでは拡張機能の券面事項入力補助を使えません (許可リスト外か、拡張機能・アプリがありません)。',
      'The card-face text is not available here (not allow-listed, or no extension or app).',
    );
    return;
  }
  fill.disabled = true;
  setStatus(
    filerStatus,
    '',
    '券面事項入力補助用暗証番号 (4桁) を拡張機能の画面に入力してください…',
    'Enter the card-face text PIN (4 digits) in the extension’s dialog…',
  );
  try {
    const answer = await launchApp({ mode: '04' });
    if (answer.result !== '0') {
      setStatus(filerStatus, 'ng', `カードから読み取れませんでした: ${portalFailure(answer)}`, `Could not read the card: ${portalFailure(answer)}`);
      return;
    }
    document.getElementById('filer-name').value = fromUtf8Hex(answer.name);
    document.getElementById('filer-address').value = fromUtf8Hex(answer.address);
    setStatus(filerStatus, 'ok', 'カードの氏名・住所を入力しました。', 'Filled in from the card.');
  } catch (error) {
    setStatus(filerStatus, 'ng', '拡張機能から応答がありません。', `No answer from the extension (${error.message}).`);
  } finally {
    fill.disabled = false;
  }
});

signOnSubmit(document.getElementById('return-form'), {
  prepare: () =>
    postJson('/api/etax/prepare', {
      returnName: document.getElementById('return-name').value,
      year: Number(document.getElementById('year').value),
      income: Number(document.getElementById('income').value),
      deductions: Number(document.getElementById('deductions').value),
      filerName: document.getElementById('filer-name').value,
      filerAddress: document.getElementById('filer-address').value,
    }),
  refused: ['入力を確認してください', 'Check the form.'],
  completePath: '/api/etax/complete',
  done: ['提出しました。', 'Filed.'],
  show: (verdict) => {
    showText('filer', verdict.filer ? `${verdict.filer.name} / ${verdict.filer.address}` : null);
    showText('holder-name', verdict.holder.name);
    showText('holder-address', verdict.holder.address);
    showText('holder-dob', verdict.holder.dateOfBirth);
    showText('holder-sex', SEX[verdict.holder.sex] ?? verdict.holder.sex);
    showText('cert-issuer', verdict.certificate.issuer);
    showText('cert-not-after', verdict.certificate.notAfter);
    showText('revocation', verdict.revocation === 'not-checked' ? '未確認 (not checked)' : verdict.revocation);
    showText('xml', verdict.xml);
  },
});
