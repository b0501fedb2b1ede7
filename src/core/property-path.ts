// How a place inside a nested value is written in messages: `providers[1].baseUrl`,
// `messages[0].content`. One spelling for config errors and request validation alike.
export function formatPropertyPath(path: readonly PropertyKey[]): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else text += text === '' ? String(segment) : `.${String(segment)}`;
  }
  return text;
}
