/** Word pools for generated values; plain ASCII without quotes or backslashes so most values need no JSON escaping. */
export const FIRST_NAMES = (
  "Ann Bob Carla Dmitri Elena Farid Grace Hiro Ines Jamal Kira Liam Mona Nils Olga Pedro Quinn Rosa Sven Tariq " +
  "Uma Victor Wen Ximena Yusuf Zoe Amara Bruno Chiara Diego Esther Felix Gita Hans Ivy Jonas Keiko Luca Maya Noor"
).split(" ");
export const LAST_NAMES = (
  "Smith Garcia Muller Rossi Tanaka Okafor Nguyen Kowalski Silva Jensen Novak Haddad Kim Dubois Larsen Moreau " +
  "Schmidt Yilmaz Costa Berg Ivanova Chen Patel Oconnor Fischer Romero Sato Mensah Lindqvist Andersen"
).split(" ");
export const WORDS = (
  "alpha bright cloud delta ember forest granite harbor island jade kernel lumen meadow nova orbit prairie quartz " +
  "river summit tundra umbra vector willow xenon yonder zephyr anchor beacon cascade drift echo falcon glacier " +
  "horizon iris jasper kestrel lagoon mosaic nimbus onyx pioneer quasar ridge sierra timber upland vista"
).split(" ");
export const COMPANY_SUFFIX = ["Inc", "LLC", "GmbH", "Ltd", "Group", "Labs", "Systems", "Partners", "Co", "SA"];
export const CITIES =
  "Boston Berlin Paris Lagos Tokyo Austin Dublin Lisbon Oslo Toronto Sydney Denver Madrid Seoul Nairobi Lima".split(
    " ",
  );
export const STATES = ["MA", "CA", "NY", "TX", "WA", "IL", "CO", "FL", "OR", "GA"];
export const COUNTRIES = ["United States", "Germany", "France", "Nigeria", "Japan", "Ireland", "Portugal", "Canada"];
export const DOMAINS_TLD = ["com", "io", "net", "org", "de", "co.uk", "fr"];
export const JOB_TITLES = [
  "CEO",
  "CTO",
  "Data Engineer",
  "Account Executive",
  "Marketing Manager",
  "Head of Sales",
  "Support Lead",
  "VP Finance",
];
/** Text with characters that must be escaped in JSON and in HTML, so clients' decoders get exercised. */
export const TRICKY_SNIPPETS = [
  'Said "hello" twice',
  "Line one\nLine two",
  "Tab\tseparated",
  "Back\\slash path C:\\tmp",
  "Émilie Ørsted — naïve café",
  "emoji 🚀 rocket",
  "<b>bold</b> & <i>italic</i>",
];
