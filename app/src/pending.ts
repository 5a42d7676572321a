/** What the sync bar counts: the owner's own units of work among the changes not yet sent. */

/** Not-yet-sent changes by what the owner made: a bill, a return (credit note), a payment, or else. */
export interface PendingKinds {bills: number; returns: number; payments: number; others: number}

/** Bills (sale:<u> and invoice:<u> count once), returns, payments and other changes among `ids`. */
export function kindsOf(ids: Iterable<string>): PendingKinds {
  const bills = new Set<string>();
  let returns = 0;
  let payments = 0;
  let others = 0;
  for (const id of ids) {
    const [kind, rest] = [id.split(':')[0], id.slice(id.indexOf(':') + 1)];
    if (kind === 'sale' || kind === 'invoice') {
      bills.add(rest);
    } else if (kind === 'credit_note') {
      returns += 1;
    } else if (kind === 'payment') {
      payments += 1;
    } else if (!id.startsWith('_local/')) {
      others += 1;
    }
  }
  return {bills: bills.size, returns, payments, others};
}
