// Marks the page as having JavaScript (what GOV.UK Frontend's inline script would do: the
// Content-Security-Policy allows no inline script) and starts the GOV.UK Frontend components.
import { initAll } from '/assets/govuk-frontend.min.js'

document.body.classList.add('js-enabled', 'govuk-frontend-supported')
initAll()
