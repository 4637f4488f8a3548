/**
 * A small frontend on the typed client: lists, adds, completes and deletes the signed-in user's
 * tasks on an API served from another origin. The API URL and the token come from the page's
 * fragment (#api=…&token=…) here; a real app gets the token from its auth library.
 * Bundle with esbuild (see docs/client.md); `tsc` checks it against openapi.yaml.
 */
import { createApiClient, type ApiErrorBody, type Task } from '../../../src/client/index.js';

const settings = new URLSearchParams(location.hash.slice(1));
const client = createApiClient({
  baseUrl: settings.get('api') ?? 'http://localhost:8000',
  token: () => settings.get('token'),
});

const list = document.querySelector<HTMLUListElement>('#tasks')!;
const form = document.querySelector<HTMLFormElement>('#new-task')!;
const title = document.querySelector<HTMLInputElement>('#title')!;
const errorLine = document.querySelector<HTMLParagraphElement>('#error')!;

function showError(error: ApiErrorBody | undefined): void {
  // error_type is a closed union: a switch over it is checked by the compiler.
  errorLine.textContent = error ? `${error.error_type}: ${error.detail}` : '';
}

function row(task: Task): HTMLLIElement {
  const item = document.createElement('li');
  item.dataset.id = task.id;
  item.className = task.is_completed ? 'done' : '';
  const box = document.createElement('input');
  box.type = 'checkbox';
  box.checked = task.is_completed;
  box.addEventListener('change', async () => {
    const { error } = await client.PATCH('/api/tasks/{taskId}', { params: { path: { taskId: task.id } }, body: { is_completed: box.checked } });
    showError(error);
    await refresh();
  });
  const text = document.createElement('span');
  text.textContent = task.title;
  const remove = document.createElement('button');
  remove.textContent = 'Delete';
  remove.addEventListener('click', async () => {
    const { error } = await client.DELETE('/api/tasks/{taskId}', { params: { path: { taskId: task.id } } });
    showError(error);
    await refresh();
  });
  item.append(box, text, remove);
  return item;
}

async function refresh(): Promise<void> {
  const { data, error } = await client.GET('/api/tasks', { params: { query: { limit: 100 } } });
  if (error) return showError(error);
  list.replaceChildren(...data.items.map(row));
  document.body.dataset.loaded = 'true';
}

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  const { error } = await client.POST('/api/tasks', { body: { title: title.value } });
  showError(error);
  if (!error) title.value = '';
  await refresh();
});

void refresh();
