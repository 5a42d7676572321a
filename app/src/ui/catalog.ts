/** Item groups and items: create, edit, archive, search. */
import {allOf, create, type Doc, newDoc, update} from '../db';
import {groupIndian, parseRupees, rupees} from '../money';
import {t} from '../i18n';
import {localChanged} from '../sync';
import {button, field, h, input, message, mount, screenMark, select} from './dom';

export const UNITS = ['pcs', 'kg', 'g', 'l', 'ml', 'm', 'cm', 'ft', 'sqft', 'box', 'set', 'pair', 'dozen',
  'pack', 'roll', 'bag', 'bottle', 'can'];
const RATES_BP = [0, 25, 300, 500, 1200, 1800, 2800, 4000];

/** A unit as the screens show it, in the language in use (the stored code never changes). */
export function unitName(unit: string): string {
  return t.print.units[unit] ?? unit;
}

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
  const I = t.items;
  const query = input('item_search', {type: 'search', placeholder: I.search});
  const list = h('div', {class: 'list', 'data-testid': 'item-list'});
  const draw = () => {
    const found = search(items.filter((i) => showArchived || !i.archived), query.value);
    list.replaceChildren(...groups.filter((g) => showArchived || !g.archived).map((g) => {
      const inGroup = found.filter((i) => i.group_id === g._id);
      return h('section', {class: 'group'},
        h('div', {class: 'row'}, h('h2', {}, g.archived ? I.archived(g.name) : g.name),
          button(I.edit, () => groupForm(g, groups), {class: 'small'})),
        ...inGroup.map((i) => h('button', {type: 'button', class: 'item-row', 'data-testid': `item-${i.name}`,
          onClick: () => itemForm(i, groups)}, h('span', {}, i.archived ? I.archived(i.name) : i.name),
        h('span', {}, `${rupees(i.unit_price_paise)}/${unitName(i.unit)}`))));
    }));
  };
  query.addEventListener('input', draw);
  draw();
  mount(I.title, query,
    h('div', {class: 'row'}, button(I.addGroup, () => groupForm(null, groups), {'data-testid': 'add-group'}),
      groups.length ? button(I.addItem, () => itemForm(null, groups), {'data-testid': 'add-item'}) : null),
    groups.length ? null : h('p', {class: 'note'}, I.startHint),
    list,
    button(showArchived ? I.hideArchived : I.showArchived, () => itemsScreen(!showArchived), {class: 'link'}));
}

function groupForm(group: Doc | null, groups: Doc[]): void {
  const I = t.items;
  const name = input('group_name', {value: group?.name ?? ''});
  const msg = message();
  const save = async () => {
    const here = screenMark();
    const text = name.value.trim();
    if (!text || text.length > 60) {
      return msg.show(I.errGroupName);
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
  const archive = group ? button(group.archived ? I.bringBack : I.archive, async () => {
    const here = screenMark();
    await update(group, {archived: !group.archived});
    await localChanged();
    return here() && itemsScreen();
  }, {'data-testid': 'archive-group'}) : null;
  mount(group ? I.editGroup : I.newGroup, field(I.groupName, name), msg,
    button(I.save, save, {class: 'primary', 'data-testid': 'save-group'}), archive,
    button(I.cancel, () => itemsScreen(), {class: 'link'}));
}

function itemForm(item: Doc | null, groups: Doc[]): void {
  const I = t.items;
  const name = input('item_name', {value: item?.name ?? ''});
  const group = select('group', groups.filter((g) => !g.archived || g._id === item?.group_id)
    .map((g) => [g._id, g.name]), item?.group_id);
  const price = input('price', {inputmode: 'decimal', placeholder: '250.00',
    value: item ? groupIndian(item.unit_price_paise).replace(/,/g, '') : ''});
  const includes = input('price_includes_gst', {type: 'checkbox', checked: item?.price_includes_gst ?? true});
  const unit = select('unit', UNITS.map((u) => [u, unitName(u)]), item?.unit ?? 'pcs');
  const rate = select('gst_rate', RATES_BP.map((bp) => [String(bp), I.gstRate(bp / 100)]), String(item?.gst_rate_bp ?? 1800));
  const hsn = input('hsn', {inputmode: 'numeric', value: item?.hsn ?? ''});
  const msg = message();
  const save = async () => {
    const here = screenMark();
    const paise = parseRupees(price.value);
    const text = name.value.trim();
    if (!text || text.length > 100) {
      return msg.show(I.errItemName);
    }
    if (paise === null || paise > 1e9) {
      return msg.show(I.errPrice);
    }
    if (paise === 0) {
      return msg.show(t.errZeroPrice);
    }
    if (hsn.value.trim() && !/^\d{4,8}$/.test(hsn.value.trim())) {
      return msg.show(I.errHsn);
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
  const archive = item ? button(item.archived ? I.bringBack : I.archive, async () => {
    const here = screenMark();
    await update(item, {archived: !item.archived});
    await localChanged();
    return here() && itemsScreen();
  }, {'data-testid': 'archive-item'}) : null;
  mount(item ? I.editItem : I.newItem, field(I.name, name), field(I.group, group),
    field(I.price, price), h('label', {class: 'check'}, includes, h('span', {}, I.includesGst)),
    field(I.unit, unit), field(I.gstRateLabel, rate), field(I.hsn, hsn), msg,
    button(I.save, save, {class: 'primary', 'data-testid': 'save-item'}), archive,
    button(I.cancel, () => itemsScreen(), {class: 'link'}));
}
