import { initials } from '../lib/format'

// A few calm colours; a member keeps theirs because it follows their id.
const tones = ['#2f5d50', '#3d5a80', '#6b4e71', '#8a5a44', '#4a6741', '#5c5f66']

/** Avatar is a member's initials in a coloured circle. */
export function Avatar({ name, id, size = 32 }: { name: string; id: number; size?: number }) {
  return (
    <span
      className="avatar"
      aria-hidden="true"
      style={{ width: size, height: size, fontSize: size * 0.4, background: tones[id % tones.length] }}
    >
      {initials(name)}
    </span>
  )
}
