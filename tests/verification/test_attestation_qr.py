"""The attestation PDF really carries a readable QR code: the real PDF, rendered to an image (pypdfium2)
and decoded (zxing-cpp), leads to the verification page, which confirms the dossier."""

import io

import pypdfium2
import zxingcpp

from tests.dossier_life import citizen_with_dossier


def qr_codes(pdf: bytes) -> list[str]:
    """Every QR code of every page, as a camera would read the printed sheet (200 dpi)."""
    found = []
    document = pypdfium2.PdfDocument(io.BytesIO(pdf))
    for page in document:
        image = page.render(scale=200 / 72).to_pil()
        found += [result.text for result in zxingcpp.read_barcodes(image)
                  if result.format == zxingcpp.BarcodeFormat.QRCode]
    document.close()
    return found


def test_the_pdfs_qr_code_opens_the_verification_page(make_app, fc_sim, browsers):
    app = make_app(FRANCECONNECT_ISSUER=f"{fc_sim.url}/api/v2")
    citizen = browsers(app)
    reference = citizen_with_dossier(app, citizen)
    response = citizen.service.get(f"/demarches/cantine/recu/{reference}/attestation.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    [url] = qr_codes(response.data)
    assert url.startswith(f"http://localhost/verifier/{reference}-")
    page = app.test_client().get(url.removeprefix("http://localhost"))  # no login: anyone may check
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "Attestation authentique" in text and reference in text
    code = url.rsplit("/", 1)[1]
    assert code.encode("latin-1") in _text_of(response.data)  # the same code is printed to be typed


def _text_of(pdf: bytes) -> bytes:
    document = pypdfium2.PdfDocument(io.BytesIO(pdf))
    text = "".join(page.get_textpage().get_text_range() for page in document)
    document.close()
    return text.encode("latin-1", "replace")
