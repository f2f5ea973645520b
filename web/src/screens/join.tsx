/** Join a campaign with an invite code (or an invite link: /join/CODE). */
import { useState } from 'preact/hooks';
import { api, ApiError } from '../api/client';
import { navigate } from '../router';
import { Field, ProblemNote } from '../ui/forms';
import { useAction } from '../ui/use-api';

export function Join({ code: initial }: { code: string }) {
  const [code, setCode] = useState(initial);
  const { error, run } = useAction();
  const join = (e: Event) => (e.preventDefault(), run(async () => {
    const joined = await api<{ campaignId: string }>('/invites/join', { method: 'POST', body: { code: code.trim() } });
    navigate(`/campaigns/${joined.campaignId}`);
  }));
  return (
    <div class="page narrow">
      <h1 tabIndex={-1}>Join a campaign</h1>
      <form onSubmit={join} noValidate>
        <Field label="Invite code" value={code} onInput={setCode} error={error instanceof ApiError ? error.fields.code : undefined} hint="Your GM gives you a code or a link" required />
        <ProblemNote error={error} shown={['code']} />
        <button type="submit">Join</button>
      </form>
    </div>
  );
}
