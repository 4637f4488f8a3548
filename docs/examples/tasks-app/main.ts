/**
 * A small frontend on the typed client: lists, adds, completes and deletes the signed-in user's
 * tasks on an API served from another origin. The API URL and the token come from the page's
 * fragment (#api=…&token=…) here; a real app gets the token from its auth library.
 * Bundle with esbuild (see docs/contract.md); `tsc` checks it against openapi.yaml.
 */
import { createApiClient, type ApiErrorBody, type Task } from '../../../src/client/index.js';

const settings = new URLSearchParams(location.hash.slice(1));
const baseUrl = settings.get('api') ?? 'http://localhost:8000';
const client = createApiClient({
  baseUrl,
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

/**
 * A refused CORS check or an API that is down gives the page no response at all, only fetch's
 * TypeError: say so, with the likely fixes, instead of showing nothing.
 */
function showUnreachable(): void {
  errorLine.textContent = `Could not reach the API at ${baseUrl}: it is down, or it does not allow this page's origin (${location.origin}); add it to CORS_ORIGINS.`;
}

/** Runs an action that talks to the API, showing a network or CORS failure instead of dropping it. */
async function guarded(action: () => Promise<void>): Promise<void> {
  try {
    await action();
  } catch {
    showUnreachable();
  }
}

function row(task: Task): HTMLLIElement {
  const item = document.createElement('li');
  item.dataset.id = task.id;
  item.className = task.is_completed ? 'done' : '';
  const box = document.createElement('input');
  box.type = 'checkbox';
  box.checked = task.is_completed;
  box.addEventListener('change', () =>
    guarded(async () => {
      const { error } = await client.PATCH('/api/tasks/{taskId}', { params: { path: { taskId: task.id } }, body: { is_completed: box.checked } });
      showError(error);
      await refresh();
    }),
  );
  const text = document.createElement('span');
  text.textContent = task.title;
  const remove = document.createElement('button');
  remove.textContent = 'Delete';
  remove.addEventListener('click', () =>
    guarded(async () => {
      const { error } = await client.DELETE('/api/tasks/{taskId}', { params: { path: { taskId: task.id } } });
      showError(error);
      await refresh();
    }),
  );
  item.append(box, text, remove);
  return item;
}

async function refresh(): Promise<void> {
  const { data, error } = await client.GET('/api/tasks', { params: { query: { limit: 100 } } });
  if (error) return showError(error);
  list.replaceChildren(...data.items.map(row));
  document.body.dataset.loaded = 'true';
}

form.addEventListener('submit', (event) => {
  event.preventDefault();
  void guarded(async () => {
    const { error } = await client.POST('/api/tasks', { body: { title: title.value } });
    showError(error);
    if (!error) title.value = '';
    await refresh();
  });
});

void guarded(refresh);
