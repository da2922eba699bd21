// Streams an answer into the page when JavaScript is on. Without JavaScript (or if anything
// here fails before the question is sent) the same form posts normally and the server shows
// the conversation page, so nothing depends on this script.
//
// The answer arrives as the service API's Server-Sent Events (start, a delta per checked
// sentence, done), then an "html" event with the message exactly as the server renders it
// (sources, notices, feedback), which replaces the streamed text.

const form = document.querySelector('form[data-govai-stream]')

function parseEvent (block) {
  let name = 'message'
  const data = []
  for (const line of block.split('\n')) {
    if (line.startsWith(':')) continue
    const colon = line.indexOf(':')
    const field = colon < 0 ? line : line.slice(0, colon)
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '')
    if (field === 'event') name = value
    if (field === 'data') data.push(value)
  }
  if (!data.length) return null
  try {
    return { name, data: JSON.parse(data.join('\n')) }
  } catch (error) {
    return null
  }
}

function element (tag, className, text) {
  const node = document.createElement(tag)
  if (className) node.className = className
  if (text) node.textContent = text
  return node
}

async function ask (event) {
  const textarea = form.querySelector('textarea[name="question"]')
  const question = textarea ? textarea.value.trim() : ''
  if (!question || question.length > Number(textarea.getAttribute('maxlength') || 100000)) return // the server says why
  event.preventDefault()
  if (form.dataset.busy) return
  form.dataset.busy = 'yes'
  const status = form.querySelector('[data-govai-status]')
  const conversation = document.getElementById('govai-conversation')
  const item = element('section', 'govai-message govai-message--streaming')
  item.tabIndex = -1
  const asked = element('div', 'govai-message__question')
  asked.appendChild(element('h2', 'govuk-heading-s govai-message__who', form.dataset.youAsked))
  asked.appendChild(element('p', 'govuk-body govai-pre-line', question))
  item.appendChild(asked)
  const waiting = element('p', 'govuk-body', form.dataset.checking)
  item.appendChild(waiting)
  const answer = element('div', 'govuk-body govai-answer govai-streaming')
  answer.lang = 'en'
  item.appendChild(answer)
  conversation.appendChild(item)
  if (status) status.textContent = form.dataset.checking

  let response
  try {
    response = await fetch(form.action, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { Accept: 'text/event-stream', 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(new FormData(form))
    })
  } catch (error) {
    item.remove()
    form.submit()
    return
  }
  const type = response.headers.get('content-type') || ''
  if (!response.ok || !type.includes('text/event-stream')) {
    // Nothing was asked (an error page, a rate limit, the kill switch): let the server show it.
    item.remove()
    form.submit()
    return
  }

  let target = null
  let rendered = false
  try {
    const reader = response.body.getReader()
    const decoder = new TextDecoder()
    let buffer = ''
    for (;;) {
      const { value, done } = await reader.read()
      if (done) break
      buffer = (buffer + decoder.decode(value, { stream: true })).replace(/\r\n/g, '\n')
      let end
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const message = parseEvent(buffer.slice(0, end))
        buffer = buffer.slice(end + 2)
        if (!message) continue
        if (message.name === 'start') {
          target = form.dataset.conversations + message.data.conversation_id
          waiting.remove()
        } else if (message.name === 'delta') {
          answer.textContent += message.data.text
        } else if (message.name === 'html') {
          const page = new DOMParser().parseFromString(message.data.html, 'text/html')
          const section = page.body.firstElementChild
          if (section) {
            item.replaceWith(document.importNode(section, true))
            rendered = true
          }
          target = message.data.url
        }
      }
    }
  } catch (error) {
    rendered = false
  }
  if (!rendered) {
    if (status) status.textContent = form.dataset.failed
    window.location.assign(target || window.location.href)
    return
  }
  if (target && window.location.pathname !== target) {
    window.history.replaceState(null, '', target)
    form.action = target + '/ask'
    const label = form.querySelector('label[for="question"]')
    if (label) label.textContent = form.dataset.followUpLabel
    const button = form.querySelector('button.govuk-button')
    if (button) button.textContent = form.dataset.followUpButton
  }
  textarea.value = ''
  textarea.dispatchEvent(new Event('input'))
  const shown = conversation.lastElementChild
  if (status) status.textContent = ''
  if (shown) shown.focus()
  delete form.dataset.busy
}

if (form && window.fetch && window.TextDecoder && window.ReadableStream && window.DOMParser) {
  form.addEventListener('submit', (event) => { ask(event) })
}
