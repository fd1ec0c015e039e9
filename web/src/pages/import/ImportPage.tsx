import { useState, type FormEvent } from 'react'
import { Link, useSearchParams } from 'react-router'
import { errorMessage, formErrors } from '../../api/problem'
import {
  useImport,
  useRejections,
  useRunImport,
  useUpdateImport,
  useUploadImport,
  type Import,
  type ImportPreview,
} from '../../api/imports'
import { Field } from '../../components/Field'
import { PageHeader } from '../../components/PageHeader'
import { Alert, Loading } from '../../components/States'
import { plural } from '../../lib/format'
import { importMatchHint, importMatchKeys } from '../../lib/importMatch'
import '../lists/lists.css'
import './import.css'

const kinds = [
  { value: 'accounts', label: 'Accounts' },
  { value: 'contacts', label: 'Contacts' },
  { value: 'leads', label: 'Leads' },
  { value: 'deals', label: 'Deals' },
  { value: 'products', label: 'Products' },
  { value: 'activities', label: 'Activities' },
]

/** The date layouts an import may be told to use (attain.DateFormats). */
const dateFormats = ['YYYY-MM-DD', 'DD/MM/YYYY', 'MM/DD/YYYY', 'DD.MM.YYYY', 'DD-MM-YYYY', 'MM-DD-YYYY', 'YYYY/MM/DD']

type Step = 'upload' | 'map' | 'check' | 'done'
const steps: { key: Step; label: string }[] = [
  { key: 'upload', label: 'Upload' },
  { key: 'map', label: 'Map columns' },
  { key: 'check', label: 'Dry run' },
  { key: 'done', label: 'Import' },
]

/**
 * ImportPage is the import wizard: upload a CSV file, review the column
 * mapping Attain guessed from the header, change it, check every row with
 * a dry run that writes nothing, read the rows it would refuse, then import.
 */
export function ImportPage() {
  const [params] = useSearchParams()
  const [step, setStep] = useState<Step>('upload')
  const [preview, setPreview] = useState<ImportPreview | null>(null)
  const [mapping, setMapping] = useState<Record<string, string>>({})
  const imp = useImport(preview?.import?.id)
  const current = imp.data ?? preview?.import ?? undefined

  return (
    <div className="import-page">
      <PageHeader
        title="Import from CSV"
        description="Bring records from a spreadsheet or another CRM. Nothing is written until you have seen what the import will do."
      />
      <ol className="wizard-steps" aria-label="Steps">
        {steps.map((s, i) => {
          const at = steps.findIndex((x) => x.key === step)
          return (
            <li key={s.key} className={i < at ? 'is-done' : i === at ? 'is-current' : undefined} aria-current={i === at ? 'step' : undefined}>
              <span className="step-number">{i + 1}</span>
              {s.label}
            </li>
          )
        })}
      </ol>
      {step === 'upload' && (
        <UploadStep
          initialKind={params.get('kind') ?? 'contacts'}
          onUploaded={(p) => {
            setPreview(p)
            setMapping(p.mapping ?? {})
            setStep('map')
          }}
        />
      )}
      {step === 'map' && preview && (
        <MapStep
          preview={preview}
          mapping={mapping}
          onChange={setMapping}
          onBack={() => setStep('upload')}
          onChecked={(p) => {
            setPreview(p)
            setStep('check')
          }}
        />
      )}
      {step === 'check' && preview && current && (
        <CheckStep imp={current} onBack={() => setStep('map')} onImported={() => setStep('done')} />
      )}
      {step === 'done' && current && <DoneStep imp={current} onAnother={() => { setPreview(null); setStep('upload') }} />}
    </div>
  )
}

function formatBytes(n: number): string {
  if (n < 1024) {
    return `${n} bytes`
  }
  if (n < 1024 * 1024) {
    return `${(n / 1024).toFixed(1)} KB`
  }
  return `${(n / 1024 / 1024).toFixed(1)} MB`
}

function UploadStep({ initialKind, onUploaded }: { initialKind: string; onUploaded: (p: ImportPreview) => void }) {
  const upload = useUploadImport()
  const [kind, setKind] = useState(kinds.some((k) => k.value === initialKind) ? initialKind : 'contacts')
  const [file, setFile] = useState<File | null>(null)
  const [mode, setMode] = useState('skip_bad_rows')
  const [matchBy, setMatchBy] = useState('')
  const errors = formErrors(upload.error, ['kind', 'file', 'mode', 'match_by'])
  const submit = (e: FormEvent) => {
    e.preventDefault()
    if (file) {
      upload.mutate({ file, kind, mode, matchBy }, { onSuccess: onUploaded })
    }
  }
  return (
    <form className="card wizard-card" onSubmit={submit} noValidate aria-label="Upload a CSV file">
      {errors.form && <Alert>{errors.form}</Alert>}
      <div className="upload-grid">
        <Field label="What the file holds" error={errors.fields.kind}>
          {(p) => (
            <select {...p} value={kind} onChange={(e) => { setKind(e.target.value); setMatchBy('') }}>
              {kinds.map((k) => (
                <option key={k.value} value={k.value}>
                  {k.label}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="CSV file" error={errors.fields.file} hint="The first line names the columns. Exports of Salesforce, HubSpot, Pipedrive and Zoho are recognised.">
          {(p) => (
            <div className={file ? 'drop-zone has-file' : 'drop-zone'}>
              <input {...p} type="file" accept=".csv,text/csv,text/plain" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
              <span aria-hidden="true">
                {file ? (
                  <>
                    <span className="strong">{file.name}</span> · {formatBytes(file.size)}
                  </>
                ) : (
                  'Choose a .csv file, or drop it here'
                )}
              </span>
            </div>
          )}
        </Field>
      </div>
      <fieldset className="field">
        <legend>When a row has a problem</legend>
        <div className="choice-list mode-choices">
          <label className="choice">
            <input type="radio" name="mode" checked={mode === 'skip_bad_rows'} onChange={() => setMode('skip_bad_rows')} />
            <span>
              <span className="choice-title">Import the good rows</span>
              <span className="choice-help">Rows with problems are left out and listed, line by line.</span>
            </span>
          </label>
          <label className="choice">
            <input type="radio" name="mode" checked={mode === 'all_or_nothing'} onChange={() => setMode('all_or_nothing')} />
            <span>
              <span className="choice-title">All or nothing</span>
              <span className="choice-help">One bad row and nothing is imported, so the file can be fixed and sent again.</span>
            </span>
          </label>
        </div>
      </fieldset>
      {importMatchKeys[kind] && (
        <Field label="Rows that match an existing record" error={errors.fields.match_by} hint={importMatchHint(kind, matchBy)}>
          {(p) => (
            <select {...p} value={matchBy} onChange={(e) => setMatchBy(e.target.value)}>
              <option value="">Always create new records</option>
              {importMatchKeys[kind].map((m) => (
                <option key={m.value} value={m.value}>
                  Update the record with the same {m.label}
                </option>
              ))}
            </select>
          )}
        </Field>
      )}
      <div className="wizard-actions">
        <button type="submit" className="button button-primary" disabled={!file || upload.isPending}>
          {upload.isPending ? 'Uploading…' : 'Upload and review'}
        </button>
      </div>
    </form>
  )
}

function MapStep({
  preview,
  mapping,
  onChange,
  onBack,
  onChecked,
}: {
  preview: ImportPreview
  mapping: Record<string, string>
  onChange: (m: Record<string, string>) => void
  onBack: () => void
  onChecked: (p: ImportPreview) => void
}) {
  const update = useUpdateImport()
  const run = useRunImport()
  const header = preview.import?.header ?? []
  const fields = preview.fields ?? []
  const sample = preview.sample ?? []
  const used = new Map<string, number>()
  for (const f of Object.values(mapping)) {
    if (f) {
      used.set(f, (used.get(f) ?? 0) + 1)
    }
  }
  const missing = fields.filter((f) => f.required && !used.has(f.name))
  const id = preview.import!.id
  const [dateFormat, setDateFormat] = useState(preview.import?.options?.date_format ?? '')
  const [decimal, setDecimal] = useState(preview.import?.options?.decimal ?? '')
  const check = () =>
    update.mutate(
      {
        id,
        options: {
          ...(preview.import?.options ?? {}),
          date_format: dateFormat || undefined,
          decimal: decimal || undefined,
          mapping: Object.fromEntries(header.map((h) => [h, mapping[h] ?? ''])),
        },
      },
      { onSuccess: (p) => run.mutate({ id, dryRun: true }, { onSuccess: () => onChecked(p) }) },
    )
  const err = update.error ?? run.error
  return (
    <section className="card wizard-card" aria-label="Map columns">
      <div className="map-head">
        <p>
          <span className="strong">{preview.import?.file_name}</span>: {plural(header.length, 'column')}. Attain guessed which
          field each column fills; change any guess, or ignore a column.
        </p>
      </div>
      <div className="format-row">
        <label>
          Dates
          <select value={dateFormat} onChange={(e) => setDateFormat(e.target.value)}>
            <option value="">Guess{preview.date_format ? ` (${preview.date_format})` : ''}</option>
            {dateFormats.map((f) => (
              <option key={f} value={f}>
                {f}
              </option>
            ))}
          </select>
        </label>
        <label>
          Decimal separator
          <select value={decimal} onChange={(e) => setDecimal(e.target.value)}>
            <option value="">Guess{preview.decimal ? ` (“${preview.decimal}”)` : ''}</option>
            <option value=".">Point: 1,234.56</option>
            <option value=",">Comma: 1.234,56</option>
          </select>
        </label>
        <span className="muted small">Columns separated by “{preview.delimiter === '\t' ? 'tab' : preview.delimiter || ','}”.</span>
      </div>
      {err && <Alert>{errorMessage(err)}</Alert>}
      {missing.length > 0 && (
        <Alert kind="warning">Required and not mapped: {missing.map((f) => f.label).join(', ')}. Rows without it will be refused.</Alert>
      )}
      <div className="table-wrap">
        <table className="table table-compact mapping-table">
          <thead>
            <tr>
              <th scope="col">Column in the file</th>
              <th scope="col">Sample values</th>
              <th scope="col">Fills the field</th>
            </tr>
          </thead>
          <tbody>
            {header.map((h, i) => {
              const value = mapping[h] ?? ''
              const field = fields.find((f) => f.name === value)
              const dup = value !== '' && (used.get(value) ?? 0) > 1
              return (
                <tr key={`${h}-${i}`} className={value ? undefined : 'row-inactive'}>
                  <th scope="row" className="strong">
                    {h || <span className="muted">(no name)</span>}
                  </th>
                  <td className="sample-cell">
                    {sample
                      .slice(0, 3)
                      .map((r) => r[i])
                      .filter(Boolean)
                      .join(' · ') || <span className="muted">empty</span>}
                  </td>
                  <td>
                    <select
                      aria-label={`Field for column ${h}`}
                      value={value}
                      className={dup ? 'is-invalid' : undefined}
                      onChange={(e) => onChange({ ...mapping, [h]: e.target.value })}
                    >
                      <option value="">Ignore this column</option>
                      {fields.map((f) => (
                        <option key={f.name} value={f.name}>
                          {f.label}
                          {f.required ? ' (required)' : ''}
                        </option>
                      ))}
                    </select>
                    {dup && <span className="field-error">Another column fills this field too.</span>}
                    {field?.hint && !dup && <span className="cell-sub">{field.hint}</span>}
                  </td>
                </tr>
              )
            })}
          </tbody>
        </table>
      </div>
      <div className="wizard-actions">
        <button type="button" className="button" onClick={onBack}>
          Back
        </button>
        <button type="button" className="button button-primary" disabled={update.isPending || run.isPending} onClick={check}>
          {update.isPending || run.isPending ? 'Checking every row…' : 'Dry run: check every row'}
        </button>
      </div>
    </section>
  )
}

function Counts({ imp, would }: { imp: Import; would: boolean }) {
  return (
    <dl className="stats import-stats">
      <div className="stat">
        <dt className="stat-label">Rows read</dt>
        <dd className="stat-value">{imp.rows_done}</dd>
      </div>
      <div className="stat">
        <dt className="stat-label">{would ? 'Would create' : 'Created'}</dt>
        <dd className="stat-value">{imp.created}</dd>
      </div>
      <div className="stat">
        <dt className="stat-label">{would ? 'Would update' : 'Updated'}</dt>
        <dd className="stat-value">{imp.updated}</dd>
      </div>
      <div className="stat">
        <dt className="stat-label">Rejected</dt>
        <dd className={imp.rejected > 0 ? 'stat-value stat-bad' : 'stat-value'}>{imp.rejected}</dd>
      </div>
    </dl>
  )
}

function Rejections({ imp }: { imp: Import }) {
  const rej = useRejections(imp.id, `${imp.finished_at ?? ''}-${imp.dry_run}`)
  if (imp.rejected === 0) {
    return null
  }
  if (rej.isPending) {
    return <Loading label="Loading the rejected rows…" />
  }
  if (rej.isError) {
    return <Alert>{errorMessage(rej.error)}</Alert>
  }
  return (
    <div className="table-wrap rejections">
      <table className="table table-compact" aria-label="Rejected rows">
        <thead>
          <tr>
            <th scope="col">Line</th>
            <th scope="col">Column</th>
            <th scope="col">Value</th>
            <th scope="col">Why</th>
          </tr>
        </thead>
        <tbody>
          {rej.data.map((r, i) => (
            <tr key={i}>
              <td>{r.line}</td>
              <td>{r.column || r.field || <span className="muted">—</span>}</td>
              <td className="mono">{r.value}</td>
              <td>{r.reason}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {imp.rejected > rej.data.length && <p className="muted small">The first {rej.data.length} of {imp.rejected} are shown.</p>}
    </div>
  )
}

function CheckStep({ imp, onBack, onImported }: { imp: Import; onBack: () => void; onImported: () => void }) {
  const run = useRunImport()
  const busy = imp.status === 'queued' || imp.status === 'running'
  const allOrNothing = (imp.options?.mode ?? 'all_or_nothing') === 'all_or_nothing'
  const blocked = allOrNothing && imp.rejected > 0
  const good = imp.created + imp.updated
  return (
    <section className="card wizard-card" aria-label="Dry run">
      {busy ? (
        <Loading label={`Checking rows… ${imp.rows_done} so far`} />
      ) : imp.status === 'failed' ? (
        <Alert>The file could not be read: {imp.error}</Alert>
      ) : (
        <>
          <h2 className="section-title">Dry run: nothing was written</h2>
          <Counts imp={imp} would />
          {imp.rejected === 0 ? (
            <Alert kind="success">Every row is fine.</Alert>
          ) : blocked ? (
            <Alert kind="warning">
              {plural(imp.rejected, 'row')} would be refused, and this import is all or nothing: fix the file and upload it
              again, or go back and change the mapping.
            </Alert>
          ) : (
            <Alert kind="warning">
              {plural(imp.rejected, 'row')} would be refused and left out; the other {good} would be imported.
            </Alert>
          )}
          <Rejections imp={imp} />
        </>
      )}
      {run.isError && <Alert>{errorMessage(run.error)}</Alert>}
      <div className="wizard-actions">
        <button type="button" className="button" onClick={onBack}>
          Back to the mapping
        </button>
        <button
          type="button"
          className="button button-primary"
          disabled={busy || blocked || good === 0 || run.isPending}
          onClick={() => run.mutate({ id: imp.id, dryRun: false }, { onSuccess: onImported })}
        >
          {run.isPending ? 'Importing…' : `Import ${plural(good, 'row')}`}
        </button>
      </div>
    </section>
  )
}

function DoneStep({ imp, onAnother }: { imp: Import; onAnother: () => void }) {
  const busy = imp.status === 'queued' || imp.status === 'running'
  const pct = imp.size_bytes > 0 ? Math.min(100, Math.round((imp.bytes_done / imp.size_bytes) * 100)) : 0
  return (
    <section className="card wizard-card" aria-label="Import">
      {busy ? (
        <>
          <Loading label={`Importing… ${imp.rows_done} rows so far`} />
          <progress max={100} value={pct} aria-label="Progress" className="import-progress" />
        </>
      ) : imp.status === 'failed' ? (
        <Alert>The import failed: {imp.error}</Alert>
      ) : (
        <>
          <h2 className="section-title">Imported</h2>
          <Counts imp={imp} would={false} />
          <Alert kind={imp.rejected > 0 ? 'warning' : 'success'}>
            {plural(imp.created, 'record')} created{imp.updated ? `, ${imp.updated} updated` : ''}
            {imp.rejected > 0 ? `; ${plural(imp.rejected, 'row')} left out (below).` : '.'} Each record’s history says it came
            from this import.
          </Alert>
          <Rejections imp={imp} />
        </>
      )}
      <div className="wizard-actions">
        <button type="button" className="button" onClick={onAnother}>
          Import another file
        </button>
        {['accounts', 'contacts', 'leads', 'deals', 'activities'].includes(imp.kind) && (
          <Link className="button button-primary" to={`/${imp.kind}?sort=-created_at`}>
            See the {imp.kind}
          </Link>
        )}
      </div>
    </section>
  )
}
