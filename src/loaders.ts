import type DataLoader from "dataloader";
import type { RequestContext } from "./context.js";

export type LoaderFactory<K, V> = (ctx: RequestContext) => DataLoader<K, V>;

/** Per-request DataLoaders, created on first use; a factory is its own key. */
export class Loaders {
  private readonly made = new Map<LoaderFactory<unknown, unknown>, DataLoader<unknown, unknown>>();

  constructor(private readonly ctx: () => RequestContext) {}

  get<K, V>(factory: LoaderFactory<K, V>): DataLoader<K, V> {
    let loader = this.made.get(factory as LoaderFactory<unknown, unknown>);
    if (!loader) {
      loader = factory(this.ctx()) as DataLoader<unknown, unknown>;
      this.made.set(factory as LoaderFactory<unknown, unknown>, loader);
    }
    return loader as DataLoader<K, V>;
  }
}
