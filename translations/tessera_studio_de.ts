<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>AboutDialog</name>
    <message>
        <location filename="../app/about_dialog.cpp" line="13"/>
        <source>About Tessera Studio</source>
        <translation>Über Tessera Studio</translation>
    </message>
</context>
<context>
    <name>GalleryModel</name>
    <message>
        <location filename="../app/models/gallery_model.cpp" line="19"/>
        <source>Seed %1</source>
        <translation>Seed %1</translation>
    </message>
    <message>
        <location filename="../app/models/gallery_model.cpp" line="23"/>
        <source>%1
%2</source>
        <translation>%1
%2</translation>
    </message>
</context>
<context>
    <name>GeneratePage</name>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="89"/>
        <source>Generate</source>
        <translation>Generieren</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="91"/>
        <source>Generate (Ctrl+Return)</source>
        <translation>Generieren (Strg+Eingabe)</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="93"/>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="95"/>
        <source>Stop after the current step (Esc); nothing of the unfinished image is written.</source>
        <translation>Nach dem laufenden Schritt anhalten (Esc); vom unfertigen Bild wird nichts geschrieben.</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="165"/>
        <source>Model</source>
        <translation>Modell</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="170"/>
        <source>A diffusers folder or a Tessera checkpoint folder</source>
        <translation>Ein diffusers-Ordner oder ein Tessera-Checkpoint-Ordner</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="171"/>
        <source>A diffusers model folder (model_index.json, unet/, vae/, …) or a training checkpoint (RUN_DIR/checkpoints/step-N), which is exported to a model folder first.</source>
        <translation>Ein diffusers-Modellordner (model_index.json, unet/, vae/, …) oder ein Trainings-Checkpoint (RUN_DIR/checkpoints/step-N), der zuerst in einen Modellordner exportiert wird.</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="173"/>
        <location filename="../app/pages/generate_page.cpp" line="280"/>
        <location filename="../app/pages/generate_page.cpp" line="300"/>
        <source>Browse…</source>
        <translation>Durchsuchen…</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="174"/>
        <source>Load</source>
        <translation>Laden</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="185"/>
        <location filename="../app/pages/generate_page.cpp" line="510"/>
        <source>No model loaded.</source>
        <translation>Kein Modell geladen.</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="196"/>
        <source>Prompt</source>
        <translation>Prompt</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="200"/>
        <source>What to draw, e.g. a lighthouse on a cliff at dawn, oil painting</source>
        <translation>Was gezeigt werden soll, z. B. ein Leuchtturm auf einer Klippe im Morgengrauen, Ölgemälde</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="207"/>
        <source>Negative prompt: what to avoid, e.g. blurry, text, watermark</source>
        <translation>Negativer Prompt: was vermieden werden soll, z. B. unscharf, Text, Wasserzeichen</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="214"/>
        <source>Sampling</source>
        <translation>Sampling</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="218"/>
        <source>Model default</source>
        <translation>Modellvorgabe</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="224"/>
        <source>Denoising steps (at least 1); more is slower and usually finer.</source>
        <translation>Entrauschungsschritte (mindestens 1); mehr ist langsamer und meist feiner.</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="231"/>
        <source>Classifier-free guidance (CFG) scale: how closely to follow the prompt.</source>
        <translation>Classifier-free Guidance (CFG): wie genau der Prompt befolgt wird.</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="236"/>
        <source>Random</source>
        <translation>Zufällig</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="238"/>
        <source>A new seed for every generation; the seed used is shown and stored in each image.</source>
        <translation>Ein neuer Seed für jede Generierung; der verwendete Seed wird angezeigt und in jedem Bild gespeichert.</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="252"/>
        <source> px</source>
        <translation> px</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="261"/>
        <source>Images per generation, each with its own noise.</source>
        <translation>Bilder pro Generierung, jedes mit eigenem Rauschen.</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="262"/>
        <source>Sampler</source>
        <translation>Sampler</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="263"/>
        <source>Steps</source>
        <translation>Schritte</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="264"/>
        <source>Guidance (CFG)</source>
        <translation>Guidance (CFG)</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="265"/>
        <source>Seed</source>
        <translation>Seed</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="267"/>
        <source>Size</source>
        <translation>Größe</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="269"/>
        <source>Batch</source>
        <translation>Anzahl</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="271"/>
        <source>Start from an image (img2img)</source>
        <translation>Von einem Bild ausgehen (img2img)</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="279"/>
        <source>A PNG image</source>
        <translation>Ein PNG-Bild</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="289"/>
        <source>How much to change the image: 0 keeps it, 1 ignores it.</source>
        <translation>Wie stark das Bild verändert wird: 0 behält es, 1 ignoriert es.</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="291"/>
        <source>Image</source>
        <translation>Bild</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="293"/>
        <source>Strength</source>
        <translation>Stärke</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="295"/>
        <source>Output folder</source>
        <translation>Ausgabeordner</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="320"/>
        <source>The image appears here as it forms.</source>
        <translation>Hier erscheint das Bild, während es entsteht.</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="350"/>
        <source>Select an image to see the parameters stored in it.</source>
        <translation>Ein Bild auswählen, um die darin gespeicherten Parameter zu sehen.</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="353"/>
        <source>Copy parameters</source>
        <translation>Parameter kopieren</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="355"/>
        <source>Open folder</source>
        <translation>Ordner öffnen</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="373"/>
        <source>Gallery</source>
        <translation>Galerie</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="386"/>
        <source>Choose a model folder or checkpoint</source>
        <translation>Modellordner oder Checkpoint wählen</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="395"/>
        <location filename="../app/pages/generate_page.cpp" line="509"/>
        <source>Choose a model folder first (a diffusers folder or a training checkpoint).</source>
        <translation>Zuerst einen Modellordner wählen (einen diffusers-Ordner oder einen Trainings-Checkpoint).</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="399"/>
        <source>%1 is not a folder. Choose a diffusers model folder or a checkpoint folder.</source>
        <translation>%1 ist kein Ordner. Einen diffusers-Modellordner oder einen Checkpoint-Ordner wählen.</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="403"/>
        <source>Wait for the current generation to end (or cancel it) before loading another model.</source>
        <translation>Vor dem Laden eines anderen Modells das Ende der laufenden Generierung abwarten (oder sie abbrechen).</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="407"/>
        <source>Exporting and loading the checkpoint %1…</source>
        <translation>Checkpoint %1 wird exportiert und geladen…</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="408"/>
        <source>Loading %1…</source>
        <translation>%1 wird geladen…</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="416"/>
        <source>Cannot load the model: %1</source>
        <translation>Das Modell kann nicht geladen werden: %1</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="423"/>
        <source>Model default (%1)</source>
        <translation>Modellvorgabe (%1)</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="435"/>
        <source>Loaded %1: %2 × %3 px by default, sizes in multiples of %4, sampler %5.</source>
        <translation>%1 geladen: standardmäßig %2 × %3 px, Größen in Vielfachen von %4, Sampler %5.</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="462"/>
        <source>Enter a prompt: what the image should show.</source>
        <translation>Einen Prompt eingeben: was das Bild zeigen soll.</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="470"/>
        <source>The seed must be a whole number from 0 to %1, or tick Random.</source>
        <translation>Der Seed muss eine ganze Zahl von 0 bis %1 sein, oder „Zufällig“ ankreuzen.</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="478"/>
        <source>Width and height must be multiples of %1 for this model: try %2 × %3.</source>
        <translation>Breite und Höhe müssen für dieses Modell Vielfache von %1 sein: z. B. %2 × %3.</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="489"/>
        <source>Choose the image to start from, or untick img2img.</source>
        <translation>Das Ausgangsbild wählen oder img2img abwählen.</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="491"/>
        <source>%1 does not exist.</source>
        <translation>%1 existiert nicht.</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="493"/>
        <source>The image to start from must be a PNG.</source>
        <translation>Das Ausgangsbild muss ein PNG sein.</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="498"/>
        <source>Choose the folder the images are written to.</source>
        <translation>Den Ordner wählen, in den die Bilder geschrieben werden.</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="517"/>
        <location filename="../app/pages/generate_page.cpp" line="523"/>
        <source>Nothing started: correct the fields marked in red.</source>
        <translation>Nichts gestartet: die rot markierten Felder korrigieren.</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="522"/>
        <source>Cannot write to %1: choose another folder.</source>
        <translation>In %1 kann nicht geschrieben werden: einen anderen Ordner wählen.</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="549"/>
        <source>The model is not ready.</source>
        <translation>Das Modell ist nicht bereit.</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="556"/>
        <source>Starting…</source>
        <translation>Wird gestartet…</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="567"/>
        <source>Cancelling after the current step…</source>
        <translation>Abbruch nach dem laufenden Schritt…</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="573"/>
        <source>Encoding the prompt…</source>
        <translation>Der Prompt wird kodiert…</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="582"/>
        <source>Step %1 of %2</source>
        <translation>Schritt %1 von %2</translation>
    </message>
    <message numerus="yes">
        <location filename="../app/pages/generate_page.cpp" line="605"/>
        <source>%n image(s) written to %1 in %2 s.</source>
        <translation>
            <numerusform>%n Bild nach %1 geschrieben in %2 s.</numerusform>
            <numerusform>%n Bilder nach %1 geschrieben in %2 s.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="610"/>
        <source>Cancelled; nothing of the unfinished image was written.</source>
        <translation>Abgebrochen; vom unfertigen Bild wurde nichts geschrieben.</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="613"/>
        <source>Generation failed: %1</source>
        <translation>Generierung fehlgeschlagen: %1</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="631"/>
        <source>Parameters copied.</source>
        <translation>Parameter kopiert.</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="658"/>
        <source>Choose the image to start from</source>
        <translation>Ausgangsbild wählen</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="659"/>
        <source>PNG images (*.png)</source>
        <translation>PNG-Bilder (*.png)</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="664"/>
        <source>Choose the output folder</source>
        <translation>Ausgabeordner wählen</translation>
    </message>
</context>
<context>
    <name>LocalGenerator</name>
    <message>
        <location filename="../app/workers/local_generator.cpp" line="68"/>
        <source>Cannot turn the checkpoint into a model folder: %1</source>
        <translation>Der Checkpoint kann nicht in einen Modellordner umgewandelt werden: %1</translation>
    </message>
</context>
<context>
    <name>LossPlot</name>
    <message>
        <location filename="../app/widgets/loss_plot.cpp" line="26"/>
        <source>step</source>
        <translation>Schritt</translation>
    </message>
    <message>
        <location filename="../app/widgets/loss_plot.cpp" line="27"/>
        <source>loss</source>
        <translation>Loss</translation>
    </message>
    <message>
        <location filename="../app/widgets/loss_plot.cpp" line="57"/>
        <source> (raw)</source>
        <translation> (roh)</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../app/main_window.cpp" line="31"/>
        <source>Tessera Studio</source>
        <translation>Tessera Studio</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="49"/>
        <location filename="../app/main_window.cpp" line="54"/>
        <source>Datasets</source>
        <translation>Datensätze</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="50"/>
        <source>Import image folders or CSV/JSONL manifests into a catalog, review thumbnails and captions, filter by size, aspect, score, language and near-duplicates, and write MDS shards for training.</source>
        <translation>Bildordner oder CSV/JSONL-Manifeste in einen Katalog importieren, Vorschaubilder und Bildunterschriften prüfen, nach Größe, Seitenverhältnis, Bewertung, Sprache und Beinahe-Duplikaten filtern und MDS-Shards für das Training schreiben.</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="55"/>
        <location filename="../app/main_window.cpp" line="59"/>
        <source>Train</source>
        <translation>Training</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="56"/>
        <source>Edit a run configuration from the SD2-base presets, estimate its cost and time, and launch it locally, on SSH hosts or through Slurm.</source>
        <translation>Eine Laufkonfiguration aus den SD2-base-Vorlagen bearbeiten, Kosten und Dauer abschätzen und sie lokal, auf SSH-Hosts oder über Slurm starten.</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="60"/>
        <source>Runs</source>
        <translation>Läufe</translation>
    </message>
    <message>
        <source>Follow runs on the cluster: live loss, learning rate and throughput curves, logs, samples as they arrive, cancel, reattach and fetch checkpoints.</source>
        <translation type="vanished">Läufe auf dem Cluster verfolgen: Verlust-, Lernraten- und Durchsatzkurven in Echtzeit, Protokolle, Beispielbilder sobald sie eintreffen, abbrechen, wieder verbinden und Checkpoints abholen.</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="62"/>
        <source>Generate</source>
        <translation>Generieren</translation>
    </message>
    <message>
        <source>Generate images from a checkpoint or diffusers folder on this machine: prompt, negative prompt, sampler, steps, guidance, seed, size, img2img, and a gallery that keeps every image&apos;s parameters.</source>
        <translation type="vanished">Bilder aus einem Checkpoint oder diffusers-Ordner auf diesem Rechner erzeugen: Prompt, negativer Prompt, Sampler, Schritte, Guidance, Seed, Größe, img2img und eine Galerie, die die Parameter jedes Bildes festhält.</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="63"/>
        <location filename="../app/main_window.cpp" line="67"/>
        <source>Evaluate</source>
        <translation>Bewerten</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="64"/>
        <source>Compare two checkpoints blind on a prompt set such as DrawBench and record which images people prefer.</source>
        <translation>Zwei Checkpoints blind auf einem Prompt-Satz wie DrawBench vergleichen und festhalten, welche Bilder bevorzugt werden.</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="79"/>
        <source>LibTorch %1 · %2 · %3 CPU threads</source>
        <translation>LibTorch %1 · %2 · %3 CPU-Threads</translation>
    </message>
    <message numerus="yes">
        <location filename="../app/main_window.cpp" line="81"/>
        <source>%n CUDA device(s)</source>
        <translation>
            <numerusform>%n CUDA-Gerät</numerusform>
            <numerusform>%n CUDA-Geräte</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="81"/>
        <source>CPU only</source>
        <translation>nur CPU</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="100"/>
        <source>%1 (Ctrl+%2)</source>
        <translation>%1 (Strg+%2)</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="104"/>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="105"/>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="109"/>
        <source>&amp;View</source>
        <translation>&amp;Ansicht</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="115"/>
        <source>&amp;Help</source>
        <translation>&amp;Hilfe</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="116"/>
        <source>&amp;About Tessera Studio</source>
        <translation>Ü&amp;ber Tessera Studio</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="117"/>
        <source>About &amp;Qt</source>
        <translation>Über &amp;Qt</translation>
    </message>
</context>
<context>
    <name>PlaceholderPage</name>
    <message>
        <location filename="../app/pages/placeholder_page.cpp" line="17"/>
        <source>Not implemented yet.</source>
        <translation>Noch nicht umgesetzt.</translation>
    </message>
</context>
<context>
    <name>RunListModel</name>
    <message>
        <location filename="../app/models/run_list_model.cpp" line="67"/>
        <source>Run</source>
        <translation>Lauf</translation>
    </message>
    <message>
        <location filename="../app/models/run_list_model.cpp" line="68"/>
        <source>State</source>
        <translation>Zustand</translation>
    </message>
    <message>
        <location filename="../app/models/run_list_model.cpp" line="69"/>
        <source>Launcher</source>
        <translation>Starter</translation>
    </message>
    <message>
        <location filename="../app/models/run_list_model.cpp" line="70"/>
        <source>Hosts</source>
        <translation>Hosts</translation>
    </message>
    <message>
        <location filename="../app/models/run_list_model.cpp" line="71"/>
        <source>Updated</source>
        <translation>Aktualisiert</translation>
    </message>
</context>
<context>
    <name>RunsPage</name>
    <message>
        <location filename="../app/pages/runs_page.cpp" line="31"/>
        <source>Refresh</source>
        <translation>Aktualisieren</translation>
    </message>
    <message>
        <location filename="../app/pages/runs_page.cpp" line="33"/>
        <location filename="../app/pages/runs_page.cpp" line="271"/>
        <source>Cancel run</source>
        <translation>Lauf abbrechen</translation>
    </message>
    <message>
        <location filename="../app/pages/runs_page.cpp" line="36"/>
        <source>Log scale</source>
        <translation>Log-Skala</translation>
    </message>
    <message>
        <location filename="../app/pages/runs_page.cpp" line="43"/>
        <source>Smoothing of the loss curve</source>
        <translation>Glättung der Loss-Kurve</translation>
    </message>
    <message>
        <location filename="../app/pages/runs_page.cpp" line="47"/>
        <source>Smoothing</source>
        <translation>Glättung</translation>
    </message>
    <message>
        <location filename="../app/pages/runs_page.cpp" line="64"/>
        <source>Select a run to follow it (Ctrl+click to overlay several).</source>
        <translation>Einen Lauf auswählen, um ihm zu folgen (Strg+Klick legt mehrere übereinander).</translation>
    </message>
    <message>
        <location filename="../app/pages/runs_page.cpp" line="105"/>
        <source>Some run records cannot be read: %1</source>
        <translation>Einige Laufeinträge können nicht gelesen werden: %1</translation>
    </message>
    <message>
        <location filename="../app/pages/runs_page.cpp" line="148"/>
        <source>Unknown host key</source>
        <translation>Unbekannter Host-Schlüssel</translation>
    </message>
    <message>
        <location filename="../app/pages/runs_page.cpp" line="149"/>
        <source>The host presents a key that is not in %1:

%2 %3

Trust it and add it to known_hosts? Compare the fingerprint with the one your administrator gave you.</source>
        <translation>Der Host zeigt einen Schlüssel, der nicht in %1 steht:

%2 %3

Ihm vertrauen und ihn zu known_hosts hinzufügen? Den Fingerabdruck mit dem vergleichen, den Ihr Administrator Ihnen gegeben hat.</translation>
    </message>
    <message>
        <location filename="../app/pages/runs_page.cpp" line="160"/>
        <source>Key passphrase</source>
        <translation>Passphrase des Schlüssels</translation>
    </message>
    <message>
        <location filename="../app/pages/runs_page.cpp" line="190"/>
        <source>%1: connection lost (%2); retrying</source>
        <translation>%1: Verbindung verloren (%2); neuer Versuch</translation>
    </message>
    <message>
        <location filename="../app/pages/runs_page.cpp" line="239"/>
        <source>step %1 · loss %2 · lr %3 · %4 images/s · %5 samples seen</source>
        <translation>Schritt %1 · Loss %2 · LR %3 · %4 Bilder/s · %5 Beispiele gesehen</translation>
    </message>
    <message>
        <location filename="../app/pages/runs_page.cpp" line="263"/>
        <source>%1 — %2 on %3, %4</source>
        <translation>%1 — %2 auf %3, %4</translation>
    </message>
    <message>
        <location filename="../app/pages/runs_page.cpp" line="271"/>
        <source>Stop every process of %1 on every host?</source>
        <translation>Jeden Prozess von %1 auf jedem Host beenden?</translation>
    </message>
</context>
</TS>
