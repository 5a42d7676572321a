/** The language switch (owner's screen, signup and login): follow the phone, English or Hindi. */
import {type LanguageChoice, languageChoice, setLanguage, t} from '../i18n';
import {field, select} from './dom';

export function languageSwitch(): HTMLElement {
  const choice = select('language', [['auto', t.language.auto], ['en', t.language.en], ['hi', t.language.hi]],
    languageChoice());
  choice.addEventListener('change', () => setLanguage(choice.value as LanguageChoice));
  return field(t.language.label, choice);
}
