/** The GameSession Durable Object of a game session: one per session id, wherever it is asked for. */
export function gameSessionStub(env: Env, sessionId: string) {
  return env.GAME_SESSION.get(env.GAME_SESSION.idFromName(sessionId));
}
