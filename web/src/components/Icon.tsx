// A few line icons, drawn inline so the app ships no icon font.
const paths = {
  home: 'M3 10.5 12 3l9 7.5M5 9v11h5v-6h4v6h5V9',
  users:
    'M16 20v-1.5a3.5 3.5 0 0 0-3.5-3.5h-5A3.5 3.5 0 0 0 4 18.5V20M10 11a3.5 3.5 0 1 0 0-7 3.5 3.5 0 0 0 0 7M20 20v-1.5a3.5 3.5 0 0 0-2.5-3.35M15.5 4.15a3.5 3.5 0 0 1 0 6.7',
  teams: 'M9 3h6v4H9zM12 7v4M5 11h14M5 11v3M19 11v3M12 11v3M3 14h4v4H3zM10 14h4v4h-4zM17 14h4v4h-4z',
  key: 'M15 7a4 4 0 1 1-3.9 4.9L4 19v2h3v-2h2v-2h2l1.1-1.1A4 4 0 0 1 15 7zM16.5 9.5h.01',
  audit: 'M8 4h8M8 4a2 2 0 0 0-2 2v14h12V6a2 2 0 0 0-2-2M9 10h6M9 14h6M9 18h3',
  logout: 'M15 4h3a2 2 0 0 1 2 2v12a2 2 0 0 1-2 2h-3M10 16l-4-4 4-4M6 12h10',
  plus: 'M12 5v14M5 12h14',
  chevron: 'M9 6l6 6-6 6',
  // Lists and settings.
  deals: 'M4 7h16v12H4zM9 7V5h6v2M4 12h16',
  accounts: 'M4 20V6l8-3v17M12 9h8v11M7 8h2M7 12h2M7 16h2M15 13h2M15 17h2M3 20h18',
  contacts: 'M12 11a3.5 3.5 0 1 0 0-7 3.5 3.5 0 0 0 0 7M5 20v-1a5 5 0 0 1 5-5h4a5 5 0 0 1 5 5v1',
  leads: 'M4 5h16l-6 7v6l-4 2v-8z',
  activities: 'M3 12h4l3-8 4 16 3-8h4',
  upload: 'M12 16V4M7 9l5-5 5 5M4 16v3a1 1 0 0 0 1 1h14a1 1 0 0 0 1-1v-3',
  pipeline: 'M3 5h18l-3 5H6zM6 10h12l-2.5 5h-7zM8.5 15h7L13 20h-2z',
  fields: 'M4 6h16M4 12h10M4 18h13M18 10l2 2-2 2',
  // Dashboards and targets.
  chart: 'M4 20V4M4 20h16M8 16v-4M12 16V8M16 16v-6',
  target: 'M12 21a9 9 0 1 0 0-18 9 9 0 0 0 0 18M12 16a4 4 0 1 0 0-8 4 4 0 0 0 0 8M12 12h.01',
} as const

/** The names of the available icons. */
export type IconName = keyof typeof paths

/** Icon draws a line icon in the current text colour; it is decorative, so screen readers skip it. */
export function Icon({ name, size = 18 }: { name: IconName; size?: number }) {
  return (
    <svg
      viewBox="0 0 24 24"
      width={size}
      height={size}
      fill="none"
      stroke="currentColor"
      strokeWidth="1.7"
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      className="icon"
    >
      <path d={paths[name]} />
    </svg>
  )
}
