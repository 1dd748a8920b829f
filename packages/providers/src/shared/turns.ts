/**
 * Conversation turns for the native formats, which want roles to alternate and
 * the results of parallel tool calls in one turn: items pushed for the role the
 * last turn already has join that turn.
 */
export class Turns<Role extends string, Item> {
  readonly list: Array<{ role: Role; items: Item[] }> = [];

  push(role: Role, items: Item[]): void {
    if (!items.length) return;
    const last = this.list.at(-1);
    if (last?.role === role) last.items.push(...items);
    else this.list.push({ role, items });
  }
}
