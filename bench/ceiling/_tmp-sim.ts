import { startSimulator } from "../../src/simulator/index.js";
const sim = await startSimulator({ seed: 1, scale: "small", counts: { contacts: 60000, companies: 10000, deals: 10000 }, tier: "pro", latencyMs: [50, 150] });
console.log(JSON.stringify({ url: sim.url, token: sim.credentials.privateAppToken }));
