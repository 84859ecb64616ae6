/** Which bots this worker is answering for right now (a bot may answer several messages at once). */
export class BusyBots {
  private readonly counts = new Map<string, number>();

  start(botId: string): void {
    this.counts.set(botId, (this.counts.get(botId) ?? 0) + 1);
  }

  end(botId: string): void {
    const count = (this.counts.get(botId) ?? 0) - 1;
    if (count <= 0) this.counts.delete(botId);
    else this.counts.set(botId, count);
  }

  ids(): string[] {
    return [...this.counts.keys()];
  }
}
