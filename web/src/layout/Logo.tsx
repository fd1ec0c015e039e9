/** Logo is Attain's mark: a summit, for a target reached. */
export function Logo({ size = 32 }: { size?: number }) {
  return (
    <svg viewBox="0 0 32 32" width={size} height={size} aria-hidden="true" className="logo">
      <rect width="32" height="32" rx="8" fill="var(--accent)" />
      <path d="M9 23 16 8l7 15h-4.2l-2.8-6.4-2.8 6.4z" fill="#fff" />
    </svg>
  )
}
