/** A thin bar for a used fraction (disk space): a meter, so assistive technology reads it too. */
export function UsageBar({ used, total, label }: { used: number; total: number; label: string }) {
  const fraction = total > 0 ? Math.min(1, Math.max(0, used / total)) : 0;
  const percent = Math.round(fraction * 1000) / 10;
  const tone = fraction >= 0.95 ? 'bad' : fraction >= 0.85 ? 'warn' : 'ok';
  return (
    <div
      className={`usage-bar tone-${tone}`}
      role="meter"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={percent}
      aria-valuetext={`${percent}% used`}
    >
      <div className="usage-fill" style={{ width: `${percent}%` }} />
    </div>
  );
}
