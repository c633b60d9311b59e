import { h, mount } from '../dom.js';
import { t } from '../i18n.js';
import { principal, token } from '../api.js';

export function loginPage(root: HTMLElement, done: () => void): void {
  const area = h('textarea', { id: 'token', rows: 5, placeholder: 'eyJhbGciOi…' });
  const note = h('p', { class: 'error', hidden: true });
  mount(
    root,
    h('section', { class: 'card narrow' },
      h('h1', {}, t('signIn')),
      h('label', { class: 'field' }, h('span', { class: 'label' }, t('tokenLabel')), area),
      h('p', { class: 'muted' }, t('tokenHint')),
      note,
      h('button', { id: 'sign-in', onclick: () => {
        token.set(area.value);
        if (principal()) done();
        else {
          token.clear();
          note.hidden = false;
          note.textContent = 'invalid token';
        }
      } }, t('signIn')),
    ),
  );
}
