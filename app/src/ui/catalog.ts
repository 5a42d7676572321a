/** Item groups and items: create, edit, archive, search. */
import {allOf, create, type Doc, newDoc, update} from '../db';
import {groupIndian, parseRupees, rupees} from '../money';
import {t} from '../i18n/en';
import {localChanged} from '../sync';
import {button, field, h, input, message, mount, screenMark, select} from './dom';

export const UNITS = ['pcs', 'kg', 'g', 'l', 'ml', 'm', 'cm', 'ft', 'sqft', 'box', 'set', 'pair', 'dozen',
  'pack', 'roll', 'bag', 'bottle', 'can'];
const RATES_BP = [0, 25, 300, 500, 1200, 1800, 2800, 4000];

export function byName(a: Doc, b: Doc): number {
  return a.name.localeCompare(b.name);
}

/** Items matching `query` in name, SKU, barcode or HSN (case-insensitive). */
export function search(items: Doc[], query: string): Doc[] {
  const q = query.trim().toLowerCase();
  return items.filter((i) => !q || [i.name, i.sku, i.barcode, i.hsn].some((v) => v && String(v).toLowerCase().includes(q)));
}

export async function itemsScreen(showArchived = false): Promise<void> {
  const groups = (await allOf('group')).sort((a, b) => a.position - b.position || byName(a, b));
  const items = (await allOf('item')).sort(byName);
  const query = input('item_search', {type: 'search', placeholder: 'Search items'});
  const list = h('div', {class: 'list', 'data-testid': 'item-list'});
  const draw = () => {
    const found = search(items.filter((i) => showArchived || !i.archived), query.value);
    list.replaceChildren(...groups.filter((g) => showArchived || !g.archived).map((g) => {
      const inGroup = found.filter((i) => i.group_id === g._id);
      return h('section', {class: 'group'},
        h('div', {class: 'row'}, h('h2', {}, g.name + (g.archived ? ' (archived)' : '')),
          button('Edit', () => groupForm(g, groups), {class: 'small'})),
        ...inGroup.map((i) => h('button', {type: 'button', class: 'item-row', 'data-testid': `item-${i.name}`,
          onClick: () => itemForm(i, groups)}, h('span', {}, i.name + (i.archived ? ' (archived)' : '')),
        h('span', {}, `${rupees(i.unit_price_paise)}/${i.unit}`))));
    }));
  };
  query.addEventListener('input', draw);
  draw();
  mount('Items', query,
    h('div', {class: 'row'}, button('+ Group', () => groupForm(null, groups), {'data-testid': 'add-group'}),
      groups.length ? button('+ Item', () => itemForm(null, groups), {'data-testid': 'add-item'}) : null),
    groups.length ? null : h('p', {class: 'note'}, 'Start with a group, e.g. "Engine parts" or "Wires".'),
    list,
    button(showArchived ? 'Hide archived' : 'Show archived', () => itemsScreen(!showArchived), {class: 'link'}));
}

function groupForm(group: Doc | null, groups: Doc[]): void {
  const name = input('group_name', {value: group?.name ?? ''});
  const msg = message();
  const save = async () => {
    const here = screenMark();
    const text = name.value.trim();
    if (!text || text.length > 60) {
      return msg.show('Give the group a name (up to 60 letters).');
    }
    if (group) {
      await update(group, {name: text});
    } else {
      await create(await newDoc('group', {name: text, position: groups.length + 1, archived: false}));
    }
    await localChanged();
    if (here()) {
      await itemsScreen();
    }
  };
  const archive = group ? button(group.archived ? 'Bring back' : 'Archive', async () => {
    const here = screenMark();
    await update(group, {archived: !group.archived});
    await localChanged();
    return here() && itemsScreen();
  }, {'data-testid': 'archive-group'}) : null;
  mount(group ? 'Edit group' : 'New group', field('Group name', name), msg,
    button('Save', save, {class: 'primary', 'data-testid': 'save-group'}), archive,
    button('Cancel', () => itemsScreen(), {class: 'link'}));
}

function itemForm(item: Doc | null, groups: Doc[]): void {
  const name = input('item_name', {value: item?.name ?? ''});
  const group = select('group', groups.filter((g) => !g.archived || g._id === item?.group_id)
    .map((g) => [g._id, g.name]), item?.group_id);
  const price = input('price', {inputmode: 'decimal', placeholder: '250.00',
    value: item ? groupIndian(item.unit_price_paise).replace(/,/g, '') : ''});
  const includes = input('price_includes_gst', {type: 'checkbox', checked: item?.price_includes_gst ?? true});
  const unit = select('unit', UNITS.map((u) => [u, u]), item?.unit ?? 'pcs');
  const rate = select('gst_rate', RATES_BP.map((bp) => [String(bp), `${bp / 100}% GST`]), String(item?.gst_rate_bp ?? 1800));
  const hsn = input('hsn', {inputmode: 'numeric', value: item?.hsn ?? ''});
  const msg = message();
  const save = async () => {
    const here = screenMark();
    const paise = parseRupees(price.value);
    const text = name.value.trim();
    if (!text || text.length > 100) {
      return msg.show('Give the item a name (up to 100 letters).');
    }
    if (paise === null || paise > 1e9) {
      return msg.show('Price: enter rupees like 250 or 99.50 (up to ₹1 crore).');
    }
    if (paise === 0) {
      return msg.show(t.errZeroPrice);
    }
    if (hsn.value.trim() && !/^\d{4,8}$/.test(hsn.value.trim())) {
      return msg.show('HSN code: 4 to 8 digits, or leave it empty.');
    }
    const fields: Record<string, any> = {name: text, group_id: group.value, unit_price_paise: paise,
      price_includes_gst: includes.checked, unit: unit.value, gst_rate_bp: Number(rate.value),
      archived: item?.archived ?? false};
    if (hsn.value.trim()) {
      fields.hsn = hsn.value.trim();
    }
    if (item) {
      const {hsn: _old, ...rest} = item;
      await update(rest as Doc, fields);
    } else {
      await create(await newDoc('item', fields));
    }
    await localChanged();
    if (here()) {
      await itemsScreen();
    }
  };
  const archive = item ? button(item.archived ? 'Bring back' : 'Archive', async () => {
    const here = screenMark();
    await update(item, {archived: !item.archived});
    await localChanged();
    return here() && itemsScreen();
  }, {'data-testid': 'archive-item'}) : null;
  mount(item ? 'Edit item' : 'New item', field('Name', name), field('Group', group),
    field('Price (₹)', price), h('label', {class: 'check'}, includes, ' Price includes GST'),
    field('Unit', unit), field('GST rate', rate), field('HSN code (optional)', hsn), msg,
    button('Save', save, {class: 'primary', 'data-testid': 'save-item'}), archive,
    button('Cancel', () => itemsScreen(), {class: 'link'}));
}
