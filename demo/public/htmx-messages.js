// htmx asks for HTML, not JSON: nestjs-ajax sends the messages in the answer's HX-Trigger header,
// {"messages":[{"message","tags"}]}, which htmx fires as a "messages" event with the list in detail.value.
/* global htmx */
import { showToast } from './ajax-client.js';

htmx.on('messages', (event) => {
  for (const { message, tags } of event.detail.value) showToast(message, tags);
});
