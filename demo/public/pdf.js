// "PDF に電子署名": the server prepares the PDF (an incremental update with a signature field) and
// the hash of the CMS signed attributes; the card signs that hash under one PIN dialog; the server
// assembles, verifies and shows the signer. The page only carries values back and forth.
import { setStatus, showText, signOnSubmit } from '/api.js';

signOnSubmit(document.getElementById('pdf-form'), {
  prepare: (status) => {
    const file = document.getElementById('pdf-file').files[0];
    if (!file) {
      setStatus(status, 'ng', 'PDF ファイルを選んでください。', 'Choose a PDF file.');
      return null;
    }
    return fetch(`/api/pdf/prepare?name=${encodeURIComponent(file.name)}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/pdf' },
      body: file,
      credentials: 'same-origin',
    }).then((response) => response.json());
  },
  refused: ['この PDF には署名できません', 'This PDF cannot be signed here.'],
  completePath: '/api/pdf/complete',
  done: ['署名しました。', 'Signed.'],
  show: (verdict) => {
    showText('holder-name', verdict.holder.name);
    showText('holder-address', verdict.holder.address);
    showText('signing-time', verdict.signingTime);
    showText('cert-issuer', verdict.certificate.issuer);
    showText('cert-not-after', verdict.certificate.notAfter);
  },
});
