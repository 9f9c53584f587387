// Epoch milliseconds to an ISO-8601 UTC string ("2026-01-01T00:01:00.000Z") by arithmetic: the
// engine stamps every order and fill, and Date#toISOString was a measurable part of a replay.
// Same output as `new Date(ms).toISOString()` for years 0000-9999.

const pad2 = (n: number) => (n < 10 ? `0${n}` : `${n}`);
const pad3 = (n: number) => (n < 10 ? `00${n}` : n < 100 ? `0${n}` : `${n}`);

let cachedDay = Number.NaN;
let cachedPrefix = '';

/** "YYYY-MM-DDT" for a day number since 1970-01-01 (Howard Hinnant's civil_from_days). */
function dayPrefix(days: number): string {
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  return `${String(year).padStart(4, '0')}-${pad2(month)}-${pad2(day)}T`;
}

export function isoFromEpochMs(ms: number): string {
  const days = Math.floor(ms / 86_400_000);
  if (days !== cachedDay) {
    cachedPrefix = dayPrefix(days);
    cachedDay = days;
  }
  let rest = ms - days * 86_400_000;
  const hours = Math.floor(rest / 3_600_000);
  rest -= hours * 3_600_000;
  const minutes = Math.floor(rest / 60_000);
  rest -= minutes * 60_000;
  const seconds = Math.floor(rest / 1000);
  return `${cachedPrefix}${pad2(hours)}:${pad2(minutes)}:${pad2(seconds)}.${pad3(rest - seconds * 1000)}Z`;
}
