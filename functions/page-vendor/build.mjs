// Rebuilds the page's vendored sound from the pinned packages (package-lock.json): `npm ci && node build.mjs` here.
// Writes into ../CrnnGan.Functions/Page: spessasynth.js (SpessaSynth's browser API as one ES module),
// spessasynth_processor.min.js (its AudioWorklet), soundfont.sf2 (the General MIDI programs the page offers, cut from
// GeneralUser GS 1.47.1) and licenses/ (each vendored work's licence).
import { build } from "esbuild";
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { SoundBankLoader } from "spessasynth_core";

const page = new URL("../CrnnGan.Functions/Page/", import.meta.url);
const modules = new URL("node_modules/", import.meta.url);

// The page's instrument field offers these programs (General MIDI numbers); index.html lists the same, and a browser
// test checks that the SoundFont holds exactly them.
const programs = [0, 4, 6, 11, 19, 24, 40, 42, 46, 48, 56, 68, 71, 73];

await build({
  stdin: {
    contents: 'export { WorkletSynthesizer, Sequencer, audioBufferToWav } from "spessasynth_lib";\n'
      + 'export { BasicMIDI } from "spessasynth_core";\n',
    resolveDir: new URL(".", import.meta.url).pathname,
  },
  bundle: true,
  format: "esm",
  minify: true,
  legalComments: "eof",
  outfile: new URL("spessasynth.js", page).pathname,
});
copyFileSync(new URL("spessasynth_lib/dist/spessasynth_processor.min.js", modules), new URL("spessasynth_processor.min.js", page));

const bank = SoundBankLoader.fromArrayBuffer(readFileSync(new URL("generaluser/GeneralUser.sf2", modules)).buffer);
for (const preset of [...bank.presets])
  if (preset.isDrum || preset.bankMSB !== 0 || preset.bankLSB !== 0 || !programs.includes(preset.program)) bank.deletePreset(preset);
bank.removeUnusedElements();
// The file records when it was made: a fixed date keeps the cut the same bytes on every rebuild.
bank.soundBankInfo.creationDate = new Date(Date.UTC(2017, 0, 1));
bank.soundBankInfo.comment = `GeneralUser GS 1.47.1 by S. Christian Collins, cut to the programs ${programs.join(", ")} for CrnnGanPipeline's page.`;
const held = bank.presets.map(p => p.program).sort((a, b) => a - b);
if (held.join() !== programs.join()) throw new Error(`the cut holds programs ${held.join(", ")}, not ${programs.join(", ")}`);
writeFileSync(new URL("soundfont.sf2", page), new Uint8Array(bank.writeSF2()));

const licenses = new URL("licenses/", page);
mkdirSync(licenses, { recursive: true });
copyFileSync(new URL("spessasynth_lib/LICENSE", modules), new URL("spessasynth_lib-LICENSE.txt", licenses));
copyFileSync(new URL("spessasynth_core/LICENSE", modules), new URL("spessasynth_core-LICENSE.txt", licenses));
copyFileSync(new URL("stb-vorbis/LICENSE", modules), new URL("stb-vorbis-LICENSE.txt", licenses));
copyFileSync(new URL("generaluser/LICENSE.txt", modules), new URL("GeneralUser-GS-LICENSE.txt", licenses));
console.log(`soundfont.sf2: ${bank.presets.length} presets (${bank.presets.map(p => `${p.program} ${p.name}`).join(", ")})`);
