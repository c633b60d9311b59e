/** Navigation without a page import cycle: main.ts registers the renderer. */
export const BASE = '/console/';
let renderer: () => void = () => undefined;

export function onNavigate(render: () => void): void {
  renderer = render;
}

export function navigate(path: string): void {
  history.pushState(null, '', BASE + path);
  renderer();
}
