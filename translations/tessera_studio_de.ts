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
    <message>
        <location filename="../app/about_dialog.cpp" line="30"/>
        <source>CUDA: %1</source>
        <translation>CUDA: %1</translation>
    </message>
    <message numerus="yes">
        <location filename="../app/about_dialog.cpp" line="30"/>
        <source>%n device(s)</source>
        <translation>
            <numerusform>%n Gerät</numerusform>
            <numerusform>%n Geräte</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../app/about_dialog.cpp" line="31"/>
        <source>not available</source>
        <translation>nicht verfügbar</translation>
    </message>
    <message>
        <location filename="../app/about_dialog.cpp" line="32"/>
        <source>CPU threads: %1 of %2</source>
        <translation>CPU-Threads: %1 von %2</translation>
    </message>
</context>
<context>
    <name>CaptionEditCommand</name>
    <message>
        <location filename="../app/models/caption_edit_command.h" line="20"/>
        <source>caption of image %1</source>
        <translation>Bildunterschrift von Bild %1</translation>
    </message>
</context>
<context>
    <name>CatalogModel</name>
    <message>
        <location filename="../app/models/catalog_model.cpp" line="118"/>
        <source>…</source>
        <translation>…</translation>
    </message>
    <message>
        <location filename="../app/models/catalog_model.cpp" line="139"/>
        <source>%1
%2 × %3 px
%4</source>
        <translation>%1
%2 × %3 px
%4</translation>
    </message>
    <message>
        <location filename="../app/models/catalog_model.cpp" line="140"/>
        <source>
dropped by %1: %2</source>
        <translation>
aussortiert von %1: %2</translation>
    </message>
    <message>
        <location filename="../app/models/catalog_model.cpp" line="159"/>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
</context>
<context>
    <name>CostEstimator</name>
    <message>
        <location filename="../app/widgets/cost_estimator.cpp" line="42"/>
        <source>GPUs the run uses in all (nodes × GPUs per node).</source>
        <translation>GPUs, die der Lauf insgesamt nutzt (Knoten × GPUs pro Knoten).</translation>
    </message>
    <message>
        <location filename="../app/widgets/cost_estimator.cpp" line="49"/>
        <source>What one GPU costs per hour (the reference run: $2 per A100-hour).</source>
        <translation>Was eine GPU pro Stunde kostet (der Referenzlauf: 2 $ pro A100-Stunde).</translation>
    </message>
    <message>
        <location filename="../app/widgets/cost_estimator.cpp" line="53"/>
        <source>Reference A100</source>
        <translation>Referenz A100</translation>
    </message>
    <message>
        <location filename="../app/widgets/cost_estimator.cpp" line="54"/>
        <source>Typed in</source>
        <translation>Eingegeben</translation>
    </message>
    <message>
        <location filename="../app/widgets/cost_estimator.cpp" line="55"/>
        <source>Measured by a run</source>
        <translation>Von einem Lauf gemessen</translation>
    </message>
    <message>
        <location filename="../app/widgets/cost_estimator.cpp" line="56"/>
        <source>Reference: mosaicml/diffusion&apos;s A100 figures (137.5 images/s per GPU at 256 px and 36 at 512 px on 8 GPUs; 90.6 and 35.9 on 128), for the config&apos;s image size and these GPUs.</source>
        <translation>Referenz: die A100-Werte von mosaicml/diffusion (137,5 Bilder/s pro GPU bei 256 px und 36 bei 512 px auf 8 GPUs; 90,6 und 35,9 auf 128), für die Bildgröße der Konfiguration und diese GPUs.</translation>
    </message>
    <message>
        <location filename="../app/widgets/cost_estimator.cpp" line="62"/>
        <source> images/s per GPU</source>
        <translation> Bilder/s pro GPU</translation>
    </message>
    <message>
        <location filename="../app/widgets/cost_estimator.cpp" line="63"/>
        <source>From a run…</source>
        <translation>Aus einem Lauf…</translation>
    </message>
    <message>
        <location filename="../app/widgets/cost_estimator.cpp" line="65"/>
        <source>Take the throughput an earlier run on this machine measured (its metrics.jsonl).</source>
        <translation>Den Durchsatz übernehmen, den ein früherer Lauf auf diesem Rechner gemessen hat (seine metrics.jsonl).</translation>
    </message>
    <message>
        <location filename="../app/widgets/cost_estimator.cpp" line="74"/>
        <source>Time that is not training steps: evaluation, checkpoints, restarts. The reference run spent about 18 % more than its throughput alone gives.</source>
        <translation>Zeit, die nicht aus Trainingsschritten besteht: Auswertung, Checkpoints, Neustarts. Der Referenzlauf brauchte etwa 18 % mehr, als sein Durchsatz allein ergibt.</translation>
    </message>
    <message>
        <location filename="../app/widgets/cost_estimator.cpp" line="80"/>
        <source> GPU-hours</source>
        <translation> GPU-Stunden</translation>
    </message>
    <message>
        <location filename="../app/widgets/cost_estimator.cpp" line="81"/>
        <source>Work billed on top, such as precomputing the latents (the reference: 3,784 A100-hours).</source>
        <translation>Zusätzlich abgerechnete Arbeit, etwa das Vorberechnen der Latents (die Referenz: 3.784 A100-Stunden).</translation>
    </message>
    <message>
        <location filename="../app/widgets/cost_estimator.cpp" line="86"/>
        <source>GPUs</source>
        <translation>GPUs</translation>
    </message>
    <message>
        <location filename="../app/widgets/cost_estimator.cpp" line="87"/>
        <source>Price per GPU-hour</source>
        <translation>Preis pro GPU-Stunde</translation>
    </message>
    <message>
        <location filename="../app/widgets/cost_estimator.cpp" line="88"/>
        <source>Throughput</source>
        <translation>Durchsatz</translation>
    </message>
    <message>
        <location filename="../app/widgets/cost_estimator.cpp" line="89"/>
        <source>Overhead</source>
        <translation>Zuschlag</translation>
    </message>
    <message>
        <location filename="../app/widgets/cost_estimator.cpp" line="90"/>
        <source>Extra GPU-hours</source>
        <translation>Zusätzliche GPU-Stunden</translation>
    </message>
    <message>
        <location filename="../app/widgets/cost_estimator.cpp" line="152"/>
        <source>Enter a throughput (images/s per GPU) to estimate time and cost.</source>
        <translation>Einen Durchsatz (Bilder/s pro GPU) eingeben, um Zeit und Kosten zu schätzen.</translation>
    </message>
    <message>
        <location filename="../app/widgets/cost_estimator.cpp" line="153"/>
        <source>Fill in steps and global batch to estimate time and cost.</source>
        <translation>Schritte und globale Batchgröße ausfüllen, um Zeit und Kosten zu schätzen.</translation>
    </message>
    <message numerus="yes">
        <location filename="../app/widgets/cost_estimator.cpp" line="155"/>
        <source>%1 images · %2 h (%3 days) on %n GPU(s) · %4 GPU-hours · %5</source>
        <translation>
            <numerusform>%1 Bilder · %2 h (%3 Tage) auf %n GPU · %4 GPU-Stunden · %5</numerusform>
            <numerusform>%1 Bilder · %2 h (%3 Tage) auf %n GPUs · %4 GPU-Stunden · %5</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../app/widgets/cost_estimator.cpp" line="158"/>
        <source>Throughput measured by %1.</source>
        <translation>Durchsatz gemessen von %1.</translation>
    </message>
    <message>
        <location filename="../app/widgets/cost_estimator.cpp" line="186"/>
        <source>%1 has no measured throughput yet (no images_per_s in %2).</source>
        <translation>%1 hat noch keinen gemessenen Durchsatz (kein images_per_s in %2).</translation>
    </message>
    <message numerus="yes">
        <location filename="../app/widgets/cost_estimator.cpp" line="210"/>
        <source>%1 (%n rank(s))</source>
        <translation>
            <numerusform>%1 (%n Rang)</numerusform>
            <numerusform>%1 (%n Ränge)</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../app/widgets/cost_estimator.cpp" line="213"/>
        <source>No local run with metrics yet</source>
        <translation>Noch kein lokaler Lauf mit Metriken</translation>
    </message>
</context>
<context>
    <name>DatasetsPage</name>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="87"/>
        <source>Files the last import could not use, and why</source>
        <translation>Dateien, die der letzte Import nicht verwenden konnte, und warum</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="96"/>
        <source>Caption</source>
        <translation>Bildunterschrift</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="97"/>
        <source>Filters</source>
        <translation>Filter</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="98"/>
        <source>Statistics</source>
        <translation>Statistik</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="101"/>
        <source>Duplicates</source>
        <translation>Duplikate</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="104"/>
        <source>Shards</source>
        <translation>Shards</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="116"/>
        <source>Cannot read the catalog: %1</source>
        <translation>Der Katalog kann nicht gelesen werden: %1</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="138"/>
        <source>A catalog file, e.g. ~/datasets/cats.db (created by the first import)</source>
        <translation>Eine Katalogdatei, z. B. ~/datasets/cats.db (der erste Import legt sie an)</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="139"/>
        <location filename="../app/pages/datasets_page.cpp" line="340"/>
        <source>Browse…</source>
        <translation>Durchsuchen…</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="140"/>
        <source>Open</source>
        <translation>Öffnen</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="145"/>
        <source>Catalog:</source>
        <translation>Katalog:</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="153"/>
        <source>An image folder (captions from .txt sidecars), or a .csv or .jsonl manifest</source>
        <translation>Ein Bildordner (Bildunterschriften aus .txt-Begleitdateien) oder ein .csv- oder .jsonl-Manifest</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="154"/>
        <source>Folder…</source>
        <translation>Ordner…</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="155"/>
        <source>Manifest…</source>
        <translation>Manifest…</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="156"/>
        <source>Import</source>
        <translation>Importieren</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="158"/>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="160"/>
        <source>Stop the import; what was imported so far is kept, and importing again resumes.</source>
        <translation>Den Import anhalten; was schon importiert ist, bleibt, und ein neuer Import setzt dort fort.</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="166"/>
        <source>Import:</source>
        <translation>Import:</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="192"/>
        <location filename="../app/pages/datasets_page.cpp" line="696"/>
        <source>Select an image in the grid.</source>
        <translation>Wählen Sie ein Bild im Raster.</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="198"/>
        <source>The caption used for training</source>
        <translation>Die Bildunterschrift, mit der trainiert wird</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="204"/>
        <source>Save caption</source>
        <translation>Bildunterschrift speichern</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="206"/>
        <source>Write the caption to the catalog (the original stays there too)</source>
        <translation>Die Bildunterschrift in den Katalog schreiben (das Original bleibt dort ebenfalls)</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="207"/>
        <source>Undo</source>
        <translation>Rückgängig</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="209"/>
        <source>Redo</source>
        <translation>Wiederholen</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="225"/>
        <source>Undo %1</source>
        <translation>%1 rückgängig machen</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="227"/>
        <source>Redo %1</source>
        <translation>%1 wiederholen</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="239"/>
        <location filename="../app/pages/datasets_page.cpp" line="246"/>
        <location filename="../app/pages/datasets_page.cpp" line="251"/>
        <location filename="../app/pages/datasets_page.cpp" line="260"/>
        <location filename="../app/pages/datasets_page.cpp" line="271"/>
        <source>off</source>
        <translation>aus</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="240"/>
        <location filename="../app/pages/datasets_page.cpp" line="351"/>
        <source> px</source>
        <translation> px</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="241"/>
        <source>Drop images whose smaller side is below this (the reference recipe: 256, then 512)</source>
        <translation>Bilder aussortieren, deren kürzere Seite darunter liegt (das Referenzrezept: 256, dann 512)</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="254"/>
        <source>to</source>
        <translation>bis</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="261"/>
        <source>Drop images whose manifest&apos;s aesthetic score is below this, or missing</source>
        <translation>Bilder aussortieren, deren Ästhetik-Wert im Manifest darunter liegt oder fehlt</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="262"/>
        <source>English captions only</source>
        <translation>Nur englische Bildunterschriften</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="264"/>
        <source>Drop empty captions</source>
        <translation>Leere Bildunterschriften aussortieren</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="266"/>
        <source>Drop repeated captions</source>
        <translation>Wiederholte Bildunterschriften aussortieren</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="272"/>
        <source>Drop images whose perceptual hash is within this many bits of a larger kept image</source>
        <translation>Bilder aussortieren, deren Wahrnehmungs-Hash höchstens so viele Bits von einem größeren behaltenen Bild abweicht</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="273"/>
        <location filename="../app/pages/datasets_page.cpp" line="364"/>
        <source>Smaller side at least:</source>
        <translation>Kürzere Seite mindestens:</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="274"/>
        <source>Aspect (width / height):</source>
        <translation>Seitenverhältnis (Breite / Höhe):</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="275"/>
        <source>Aesthetic score at least:</source>
        <translation>Ästhetik-Wert mindestens:</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="279"/>
        <source>Near-duplicates (pHash distance):</source>
        <translation>Beinahe-Duplikate (pHash-Abstand):</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="282"/>
        <source>Apply as I change them</source>
        <translation>Beim Ändern sofort anwenden</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="285"/>
        <source>Apply filters</source>
        <translation>Filter anwenden</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="287"/>
        <source>Record which images these settings drop (earlier decisions are replaced)</source>
        <translation>Festhalten, welche Bilder diese Einstellungen aussortieren (frühere Entscheidungen werden ersetzt)</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="318"/>
        <source>Smaller side (px)</source>
        <translation>Kürzere Seite (px)</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="320"/>
        <source>Aspect ratio (width / height)</source>
        <translation>Seitenverhältnis (Breite / Höhe)</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="339"/>
        <source>An empty or new folder</source>
        <translation>Ein leerer oder neuer Ordner</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="344"/>
        <source>Folder for the shards</source>
        <translation>Ordner für die Shards</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="350"/>
        <source>any</source>
        <translation>beliebig</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="356"/>
        <source>keep the original files</source>
        <translation>Originaldateien behalten</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="357"/>
        <source> px square</source>
        <translation> px quadratisch</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="360"/>
        <source>none</source>
        <translation>keine</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="361"/>
        <source>zstd</source>
        <translation>zstd</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="362"/>
        <source>zstd, level 7</source>
        <translation>zstd, Stufe 7</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="363"/>
        <source>Output folder:</source>
        <translation>Ausgabeordner:</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="365"/>
        <source>Centre-crop and resize to:</source>
        <translation>Mittig zuschneiden und skalieren auf:</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="366"/>
        <source>Compression:</source>
        <translation>Kompression:</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="368"/>
        <source>Write shards</source>
        <translation>Shards schreiben</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="370"/>
        <source>Write the kept images as an MDS shard set (mosaicml-streaming format)</source>
        <translation>Die behaltenen Bilder als MDS-Shard-Satz schreiben (Format von mosaicml-streaming)</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="377"/>
        <source>Upload to a host</source>
        <translation>Auf einen Host hochladen</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="427"/>
        <source>Give a catalog file to open, or a new one to create.</source>
        <translation>Geben Sie eine Katalogdatei zum Öffnen an oder eine neue zum Anlegen.</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="437"/>
        <source>New catalog: the first import creates %1.</source>
        <translation>Neuer Katalog: der erste Import legt %1 an.</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="448"/>
        <source>Reading the catalog…</source>
        <translation>Katalog wird gelesen…</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="455"/>
        <source>Cannot open the catalog: %1</source>
        <translation>Der Katalog kann nicht geöffnet werden: %1</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="471"/>
        <source>%1 %2</source>
        <translation>%1 %2</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="472"/>
        <source>%1 images, %2 kept, %3 dropped; %4 files could not be imported.
Formats: %5</source>
        <translation>%1 Bilder, %2 behalten, %3 aussortiert; %4 Dateien konnten nicht importiert werden.
Formate: %5</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="477"/>
        <source>, </source>
        <translation>, </translation>
    </message>
    <message numerus="yes">
        <location filename="../app/pages/datasets_page.cpp" line="480"/>
        <source>%1: %n image(s), %2 kept.</source>
        <translation>
            <numerusform>%1: %n Bild, %2 behalten.</numerusform>
            <numerusform>%1: %n Bilder, %2 behalten.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="497"/>
        <source>Choose a folder or a manifest to import.</source>
        <translation>Wählen Sie einen Ordner oder ein Manifest zum Importieren.</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="498"/>
        <source>%1 does not exist.</source>
        <translation>%1 existiert nicht.</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="511"/>
        <source>Importing %1…</source>
        <translation>%1 wird importiert…</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="538"/>
        <location filename="../app/pages/datasets_page.cpp" line="675"/>
        <source>%1 — %2</source>
        <translation>%1 — %2</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="544"/>
        <source>%1 added, %2 re-read, %3 unchanged, %4 updated, %5 could not be imported.</source>
        <translation>%1 hinzugefügt, %2 neu gelesen, %3 unverändert, %4 aktualisiert, %5 konnten nicht importiert werden.</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="550"/>
        <source>Import cancelled: %1 Import again to resume.</source>
        <translation>Import abgebrochen: %1 Ein neuer Import setzt fort.</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="552"/>
        <source>Import failed: %1</source>
        <translation>Import fehlgeschlagen: %1</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="568"/>
        <source>Cancelling after the current image…</source>
        <translation>Abbruch nach dem aktuellen Bild…</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="595"/>
        <source>Applying the filters…</source>
        <translation>Filter werden angewendet…</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="600"/>
        <source>Cannot apply the filters: %1</source>
        <translation>Die Filter können nicht angewendet werden: %1</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="604"/>
        <source>smaller side</source>
        <translation>kürzere Seite</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="605"/>
        <source>aspect ratio</source>
        <translation>Seitenverhältnis</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="606"/>
        <source>aesthetic score</source>
        <translation>Ästhetik-Wert</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="607"/>
        <source>not English</source>
        <translation>nicht Englisch</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="608"/>
        <source>empty caption</source>
        <translation>leere Bildunterschrift</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="609"/>
        <source>repeated caption</source>
        <translation>wiederholte Bildunterschrift</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="610"/>
        <source>near-duplicate</source>
        <translation>Beinahe-Duplikat</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="611"/>
        <source>a reviewer&apos;s verdict</source>
        <translation>Urteil einer prüfenden Person</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="613"/>
        <source>%1 of %2 images kept.</source>
        <translation>%1 von %2 Bildern behalten.</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="616"/>
        <source>%1: %2 dropped</source>
        <translation>%1: %2 aussortiert</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="629"/>
        <source>Choose a folder for the shards.</source>
        <translation>Wählen Sie einen Ordner für die Shards.</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="643"/>
        <source>Writing shards to %1…</source>
        <translation>Shards werden nach %1 geschrieben…</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="670"/>
        <source>%1 images in %2 shard(s), %3 MiB; %4 skipped.</source>
        <translation>%1 Bilder in %2 Shard(s), %3 MiB; %4 übersprungen.</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="677"/>
        <source>Writing the shards was cancelled.</source>
        <translation>Das Schreiben der Shards wurde abgebrochen.</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="679"/>
        <source>Cannot write the shards: %1</source>
        <translation>Die Shards können nicht geschrieben werden: %1</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="696"/>
        <source>Reading…</source>
        <translation>Wird gelesen…</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="702"/>
        <source>%1
%2 × %3 px, %4, %5 KiB</source>
        <translation>%1
%2 × %3 px, %4, %5 KiB</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="708"/>
        <source>
Dropped — %1</source>
        <translation>
Aussortiert — %1</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="713"/>
        <source>Original: %1</source>
        <translation>Original: %1</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="733"/>
        <source>Cannot save the caption: %1</source>
        <translation>Die Bildunterschrift kann nicht gespeichert werden: %1</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="741"/>
        <source>Caption of image %1 saved.</source>
        <translation>Bildunterschrift von Bild %1 gespeichert.</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="746"/>
        <source>Open or create a catalog</source>
        <translation>Katalog öffnen oder anlegen</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="747"/>
        <source>Catalogs (*.db *.sqlite);;All files (*)</source>
        <translation>Kataloge (*.db *.sqlite);;Alle Dateien (*)</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="755"/>
        <source>Image folder to import</source>
        <translation>Zu importierender Bildordner</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="756"/>
        <source>Manifest to import</source>
        <translation>Zu importierendes Manifest</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="757"/>
        <source>Manifests (*.csv *.jsonl);;All files (*)</source>
        <translation>Manifeste (*.csv *.jsonl);;Alle Dateien (*)</translation>
    </message>
</context>
<context>
    <name>DuplicateReview</name>
    <message>
        <location filename="../app/widgets/duplicate_review.cpp" line="28"/>
        <source>Find dropped duplicates</source>
        <translation>Aussortierte Duplikate finden</translation>
    </message>
    <message>
        <location filename="../app/widgets/duplicate_review.cpp" line="30"/>
        <source>List every image the near-duplicate or repeated-caption filter dropped, with the image it duplicates (run the filters first)</source>
        <translation>Jedes Bild auflisten, das der Filter für Beinahe-Duplikate oder wiederholte Bildunterschriften aussortiert hat, mit dem Bild, das es dupliziert (zuerst die Filter anwenden)</translation>
    </message>
    <message>
        <location filename="../app/widgets/duplicate_review.cpp" line="52"/>
        <source>Dropped</source>
        <translation>Aussortiert</translation>
    </message>
    <message>
        <location filename="../app/widgets/duplicate_review.cpp" line="53"/>
        <source>Kept</source>
        <translation>Behalten</translation>
    </message>
    <message>
        <location filename="../app/widgets/duplicate_review.cpp" line="59"/>
        <source>Keep both</source>
        <translation>Beide behalten</translation>
    </message>
    <message>
        <location filename="../app/widgets/duplicate_review.cpp" line="61"/>
        <source>Not a duplicate: keep the dropped image too (the filters will not drop it again)</source>
        <translation>Kein Duplikat: auch das aussortierte Bild behalten (die Filter sortieren es nicht wieder aus)</translation>
    </message>
    <message>
        <location filename="../app/widgets/duplicate_review.cpp" line="62"/>
        <source>Keep the dropped one instead</source>
        <translation>Stattdessen das aussortierte behalten</translation>
    </message>
    <message>
        <location filename="../app/widgets/duplicate_review.cpp" line="64"/>
        <source>Keep the dropped image and drop the one it duplicates</source>
        <translation>Das aussortierte Bild behalten und das Bild aussortieren, das es dupliziert</translation>
    </message>
    <message>
        <location filename="../app/widgets/duplicate_review.cpp" line="140"/>
        <source>Looking for dropped duplicates…</source>
        <translation>Suche nach aussortierten Duplikaten…</translation>
    </message>
    <message>
        <location filename="../app/widgets/duplicate_review.cpp" line="153"/>
        <source>%1 ≈ %2 (%3)</source>
        <translation>%1 ≈ %2 (%3)</translation>
    </message>
    <message>
        <location filename="../app/widgets/duplicate_review.cpp" line="155"/>
        <source>Cannot read the catalog: %1</source>
        <translation>Der Katalog kann nicht gelesen werden: %1</translation>
    </message>
    <message>
        <location filename="../app/widgets/duplicate_review.cpp" line="157"/>
        <source>No image was dropped as a duplicate. Switch on the near-duplicate or repeated-caption filter first.</source>
        <translation>Kein Bild wurde als Duplikat aussortiert. Schalten Sie zuerst den Filter für Beinahe-Duplikate oder wiederholte Bildunterschriften ein.</translation>
    </message>
    <message numerus="yes">
        <location filename="../app/widgets/duplicate_review.cpp" line="159"/>
        <source>%n image(s) dropped as duplicates of a kept one.</source>
        <translation>
            <numerusform>%n Bild als Duplikat eines behaltenen aussortiert.</numerusform>
            <numerusform>%n Bilder als Duplikate eines behaltenen aussortiert.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../app/widgets/duplicate_review.cpp" line="187"/>
        <source>Cannot record the review: %1</source>
        <translation>Die Prüfung kann nicht gespeichert werden: %1</translation>
    </message>
    <message>
        <location filename="../app/widgets/duplicate_review.cpp" line="193"/>
        <source>Every pair is reviewed.</source>
        <translation>Alle Paare sind geprüft.</translation>
    </message>
    <message numerus="yes">
        <location filename="../app/widgets/duplicate_review.cpp" line="194"/>
        <source>%n pair(s) left to review.</source>
        <translation>
            <numerusform>%n Paar bleibt zu prüfen.</numerusform>
            <numerusform>%n Paare bleiben zu prüfen.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../app/widgets/duplicate_review.cpp" line="215"/>
        <source>#%1 %2
%3: %4</source>
        <translation>#%1 %2
%3: %4</translation>
    </message>
    <message>
        <location filename="../app/widgets/duplicate_review.cpp" line="216"/>
        <source>#%1 %2</source>
        <translation>#%1 %2</translation>
    </message>
</context>
<context>
    <name>EvaluatePage</name>
    <message>
        <location filename="../app/pages/evaluate_page.cpp" line="139"/>
        <location filename="../app/pages/evaluate_page.cpp" line="141"/>
        <location filename="../app/pages/evaluate_page.cpp" line="502"/>
        <source>Resume</source>
        <translation>Fortsetzen</translation>
    </message>
    <message>
        <location filename="../app/pages/evaluate_page.cpp" line="139"/>
        <location filename="../app/pages/evaluate_page.cpp" line="141"/>
        <location filename="../app/pages/evaluate_page.cpp" line="248"/>
        <source>Start</source>
        <translation>Starten</translation>
    </message>
    <message>
        <location filename="../app/pages/evaluate_page.cpp" line="153"/>
        <source>Compare two models blind: both generate every prompt of a prompt set with the same seed, you vote on each pair without knowing which model made which image, and the models are revealed with their preference rates at the end.</source>
        <translation>Zwei Modelle blind vergleichen: Beide erzeugen jeden Prompt eines Prompt-Satzes mit demselben Seed, Sie stimmen über jedes Paar ab, ohne zu wissen, welches Modell welches Bild erzeugt hat, und am Ende werden die Modelle mit ihren Präferenzraten aufgedeckt.</translation>
    </message>
    <message>
        <location filename="../app/pages/evaluate_page.cpp" line="166"/>
        <source>Browse…</source>
        <translation>Durchsuchen…</translation>
    </message>
    <message>
        <location filename="../app/pages/evaluate_page.cpp" line="174"/>
        <location filename="../app/pages/evaluate_page.cpp" line="188"/>
        <source>a diffusers model folder (with model_index.json)</source>
        <translation>ein diffusers-Modellordner (mit model_index.json)</translation>
    </message>
    <message>
        <location filename="../app/pages/evaluate_page.cpp" line="180"/>
        <source>Choose a model folder</source>
        <translation>Modellordner wählen</translation>
    </message>
    <message>
        <location filename="../app/pages/evaluate_page.cpp" line="183"/>
        <source>Model &amp;A:</source>
        <translation>Modell &amp;A:</translation>
    </message>
    <message>
        <location filename="../app/pages/evaluate_page.cpp" line="184"/>
        <source>Model &amp;B:</source>
        <translation>Modell &amp;B:</translation>
    </message>
    <message>
        <location filename="../app/pages/evaluate_page.cpp" line="193"/>
        <source>CSV with Prompt and Category columns, e.g. DrawBench</source>
        <translation>CSV mit den Spalten Prompt und Category, z. B. DrawBench</translation>
    </message>
    <message>
        <location filename="../app/pages/evaluate_page.cpp" line="195"/>
        <source>&amp;Prompt set:</source>
        <translation>&amp;Prompt-Satz:</translation>
    </message>
    <message>
        <location filename="../app/pages/evaluate_page.cpp" line="196"/>
        <source>Choose a prompt set</source>
        <translation>Prompt-Satz wählen</translation>
    </message>
    <message>
        <location filename="../app/pages/evaluate_page.cpp" line="197"/>
        <source>CSV files (*.csv);;All files (*)</source>
        <translation>CSV-Dateien (*.csv);;Alle Dateien (*)</translation>
    </message>
    <message>
        <location filename="../app/pages/evaluate_page.cpp" line="206"/>
        <source>where images and votes are kept (an existing evaluation is resumed)</source>
        <translation>wo Bilder und Stimmen abgelegt werden (eine vorhandene Evaluierung wird fortgesetzt)</translation>
    </message>
    <message>
        <location filename="../app/pages/evaluate_page.cpp" line="208"/>
        <source>Evaluation &amp;folder:</source>
        <translation>Evaluierungs&amp;ordner:</translation>
    </message>
    <message>
        <location filename="../app/pages/evaluate_page.cpp" line="209"/>
        <source>Choose an evaluation folder</source>
        <translation>Evaluierungsordner wählen</translation>
    </message>
    <message>
        <location filename="../app/pages/evaluate_page.cpp" line="216"/>
        <source>&amp;Steps:</source>
        <translation>&amp;Schritte:</translation>
    </message>
    <message>
        <location filename="../app/pages/evaluate_page.cpp" line="222"/>
        <source>&amp;Guidance:</source>
        <translation>&amp;Guidance:</translation>
    </message>
    <message>
        <location filename="../app/pages/evaluate_page.cpp" line="232"/>
        <source> px</source>
        <translation> px</translation>
    </message>
    <message>
        <location filename="../app/pages/evaluate_page.cpp" line="235"/>
        <source>Si&amp;ze (w × h):</source>
        <translation>Grö&amp;ße (B × H):</translation>
    </message>
    <message>
        <location filename="../app/pages/evaluate_page.cpp" line="240"/>
        <source>Prompt i uses this seed + i, the same for both models.</source>
        <translation>Prompt i verwendet diesen Seed + i, für beide Modelle gleich.</translation>
    </message>
    <message>
        <location filename="../app/pages/evaluate_page.cpp" line="243"/>
        <source>S&amp;eed:</source>
        <translation>S&amp;eed:</translation>
    </message>
    <message>
        <location filename="../app/pages/evaluate_page.cpp" line="251"/>
        <source>Generate the missing images of both models, then vote.</source>
        <translation>Die fehlenden Bilder beider Modelle erzeugen, dann abstimmen.</translation>
    </message>
    <message>
        <location filename="../app/pages/evaluate_page.cpp" line="252"/>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <location filename="../app/pages/evaluate_page.cpp" line="254"/>
        <source>Stop generating (Esc); images already made are kept and Resume goes on from there.</source>
        <translation>Erzeugung anhalten (Esc); fertige Bilder bleiben erhalten und „Fortsetzen“ macht dort weiter.</translation>
    </message>
    <message>
        <location filename="../app/pages/evaluate_page.cpp" line="262"/>
        <source>%v of %m images</source>
        <translation>%v von %m Bildern</translation>
    </message>
    <message>
        <location filename="../app/pages/evaluate_page.cpp" line="187"/>
        <source>a diffusers model folder on the host</source>
        <translation>ein diffusers-Modellordner auf dem Host</translation>
    </message>
    <message>
        <location filename="../app/pages/evaluate_page.cpp" line="300"/>
        <source>Left</source>
        <translation>Links</translation>
    </message>
    <message>
        <location filename="../app/pages/evaluate_page.cpp" line="301"/>
        <source>Right</source>
        <translation>Rechts</translation>
    </message>
    <message>
        <location filename="../app/pages/evaluate_page.cpp" line="309"/>
        <source>Left is better</source>
        <translation>Links ist besser</translation>
    </message>
    <message>
        <location filename="../app/pages/evaluate_page.cpp" line="309"/>
        <source>Right is better</source>
        <translation>Rechts ist besser</translation>
    </message>
    <message>
        <location filename="../app/pages/evaluate_page.cpp" line="309"/>
        <source>Tie</source>
        <translation>Unentschieden</translation>
    </message>
    <message>
        <location filename="../app/pages/evaluate_page.cpp" line="319"/>
        <source>%1 (key %2)</source>
        <translation>%1 (Taste %2)</translation>
    </message>
    <message>
        <location filename="../app/pages/evaluate_page.cpp" line="326"/>
        <source>Image quality: which image looks better?</source>
        <translation>Bildqualität: Welches Bild sieht besser aus?</translation>
    </message>
    <message>
        <location filename="../app/pages/evaluate_page.cpp" line="327"/>
        <source>Prompt alignment: which image matches the prompt better?</source>
        <translation>Prompt-Treue: Welches Bild passt besser zum Prompt?</translation>
    </message>
    <message>
        <location filename="../app/pages/evaluate_page.cpp" line="332"/>
        <source>← Previous</source>
        <translation>← Zurück</translation>
    </message>
    <message>
        <location filename="../app/pages/evaluate_page.cpp" line="334"/>
        <source>Back to the previous pair to change a vote (Left arrow).</source>
        <translation>Zurück zum vorigen Paar, um eine Stimme zu ändern (Pfeil links).</translation>
    </message>
    <message>
        <location filename="../app/pages/evaluate_page.cpp" line="336"/>
        <source>Next →</source>
        <translation>Weiter →</translation>
    </message>
    <message>
        <location filename="../app/pages/evaluate_page.cpp" line="338"/>
        <source>The next pair (Right arrow). A pair is done once both questions have a vote.</source>
        <translation>Das nächste Paar (Pfeil rechts). Ein Paar ist fertig, sobald beide Fragen eine Stimme haben.</translation>
    </message>
    <message>
        <location filename="../app/pages/evaluate_page.cpp" line="342"/>
        <source>Which model made which image stays hidden until every pair has its votes. Votes are saved as you cast them.</source>
        <translation>Welches Modell welches Bild erzeugt hat, bleibt verborgen, bis jedes Paar seine Stimmen hat. Stimmen werden sofort gespeichert.</translation>
    </message>
    <message>
        <location filename="../app/pages/evaluate_page.cpp" line="362"/>
        <source>Preference rate = (wins + ties / 2) / votes: a tie counts as half a win for each model. Error bars: 95% Wilson score interval. The dashed line is 50% (no preference).</source>
        <translation>Präferenzrate = (Siege + Unentschieden / 2) / Stimmen: Ein Unentschieden zählt für jedes Modell als halber Sieg. Fehlerbalken: 95-%-Wilson-Konfidenzintervall. Die gestrichelte Linie liegt bei 50 % (keine Präferenz).</translation>
    </message>
    <message>
        <location filename="../app/pages/evaluate_page.cpp" line="380"/>
        <source>Criterion</source>
        <translation>Kriterium</translation>
    </message>
    <message>
        <location filename="../app/pages/evaluate_page.cpp" line="380"/>
        <source>Category</source>
        <translation>Kategorie</translation>
    </message>
    <message>
        <location filename="../app/pages/evaluate_page.cpp" line="380"/>
        <source>Votes</source>
        <translation>Stimmen</translation>
    </message>
    <message>
        <location filename="../app/pages/evaluate_page.cpp" line="380"/>
        <source>A wins / ties / B wins</source>
        <translation>A siegt / unentschieden / B siegt</translation>
    </message>
    <message>
        <location filename="../app/pages/evaluate_page.cpp" line="381"/>
        <source>Model A</source>
        <translation>Modell A</translation>
    </message>
    <message>
        <location filename="../app/pages/evaluate_page.cpp" line="381"/>
        <source>Model B</source>
        <translation>Modell B</translation>
    </message>
    <message>
        <location filename="../app/pages/evaluate_page.cpp" line="381"/>
        <source>95% CI (A)</source>
        <translation>95-%-KI (A)</translation>
    </message>
    <message>
        <location filename="../app/pages/evaluate_page.cpp" line="386"/>
        <source>Export CSV…</source>
        <translation>CSV exportieren…</translation>
    </message>
    <message>
        <location filename="../app/pages/evaluate_page.cpp" line="388"/>
        <source>Write votes.csv (every vote) and summary.csv (rates and intervals) into a folder.</source>
        <translation>votes.csv (jede Stimme) und summary.csv (Raten und Intervalle) in einen Ordner schreiben.</translation>
    </message>
    <message>
        <location filename="../app/pages/evaluate_page.cpp" line="390"/>
        <source>Export into folder</source>
        <translation>In Ordner exportieren</translation>
    </message>
    <message>
        <location filename="../app/pages/evaluate_page.cpp" line="393"/>
        <source>New evaluation</source>
        <translation>Neue Evaluierung</translation>
    </message>
    <message>
        <location filename="../app/pages/evaluate_page.cpp" line="422"/>
        <source>1 prompt</source>
        <translation>1 Prompt</translation>
    </message>
    <message>
        <location filename="../app/pages/evaluate_page.cpp" line="422"/>
        <source>%1 prompts</source>
        <translation>%1 Prompts</translation>
    </message>
    <message>
        <location filename="../app/pages/evaluate_page.cpp" line="423"/>
        <source>1 category</source>
        <translation>1 Kategorie</translation>
    </message>
    <message>
        <location filename="../app/pages/evaluate_page.cpp" line="423"/>
        <source>%1 categories</source>
        <translation>%1 Kategorien</translation>
    </message>
    <message>
        <location filename="../app/pages/evaluate_page.cpp" line="433"/>
        <source>Choose a model folder.</source>
        <translation>Wählen Sie einen Modellordner.</translation>
    </message>
    <message>
        <location filename="../app/pages/evaluate_page.cpp" line="435"/>
        <source>%1 is not a folder.</source>
        <translation>%1 ist kein Ordner.</translation>
    </message>
    <message>
        <location filename="../app/pages/evaluate_page.cpp" line="437"/>
        <source>%1 has no model_index.json: choose a diffusers model folder.</source>
        <translation>%1 hat keine model_index.json: Wählen Sie einen diffusers-Modellordner.</translation>
    </message>
    <message>
        <location filename="../app/pages/evaluate_page.cpp" line="442"/>
        <source>Choose a CSV file with Prompt and Category columns.</source>
        <translation>Wählen Sie eine CSV-Datei mit den Spalten Prompt und Category.</translation>
    </message>
    <message>
        <location filename="../app/pages/evaluate_page.cpp" line="451"/>
        <source>The seed must be a whole number from 0 to 18446744073709551615.</source>
        <translation>Der Seed muss eine ganze Zahl von 0 bis 18446744073709551615 sein.</translation>
    </message>
    <message>
        <location filename="../app/pages/evaluate_page.cpp" line="454"/>
        <source>On a host the seed must be below 9223372036853775807.</source>
        <translation>Auf einem Host muss der Seed kleiner als 9223372036853775807 sein.</translation>
    </message>
    <message>
        <location filename="../app/pages/evaluate_page.cpp" line="460"/>
        <source>Choose a folder for the images and votes.</source>
        <translation>Wählen Sie einen Ordner für die Bilder und Stimmen.</translation>
    </message>
    <message>
        <location filename="../app/pages/evaluate_page.cpp" line="461"/>
        <source>%1 is a file, not a folder.</source>
        <translation>%1 ist eine Datei, kein Ordner.</translation>
    </message>
    <message>
        <location filename="../app/pages/evaluate_page.cpp" line="463"/>
        <source>%1 already holds other files: choose an empty or new folder.</source>
        <translation>%1 enthält bereits andere Dateien: Wählen Sie einen leeren oder neuen Ordner.</translation>
    </message>
    <message>
        <location filename="../app/pages/evaluate_page.cpp" line="518"/>
        <source>An unfinished evaluation is in this folder: Resume generates the images still missing.</source>
        <translation>In diesem Ordner liegt eine unfertige Evaluierung: „Fortsetzen“ erzeugt die noch fehlenden Bilder.</translation>
    </message>
    <message>
        <location filename="../app/pages/evaluate_page.cpp" line="544"/>
        <source>Model %1: starting on the host…</source>
        <translation>Modell %1: wird auf dem Host gestartet…</translation>
    </message>
    <message>
        <location filename="../app/pages/evaluate_page.cpp" line="546"/>
        <source>A generation is still running.</source>
        <translation>Eine Generierung läuft noch.</translation>
    </message>
    <message>
        <location filename="../app/pages/evaluate_page.cpp" line="553"/>
        <source>Loading model %1…</source>
        <translation>Modell %1 wird geladen…</translation>
    </message>
    <message>
        <location filename="../app/pages/evaluate_page.cpp" line="562"/>
        <source>Every image is ready.</source>
        <translation>Alle Bilder sind fertig.</translation>
    </message>
    <message>
        <location filename="../app/pages/evaluate_page.cpp" line="571"/>
        <source>Cannot load model %1: %2</source>
        <translation>Modell %1 kann nicht geladen werden: %2</translation>
    </message>
    <message>
        <location filename="../app/pages/evaluate_page.cpp" line="590"/>
        <source>The model is not loaded.</source>
        <translation>Das Modell ist nicht geladen.</translation>
    </message>
    <message>
        <location filename="../app/pages/evaluate_page.cpp" line="595"/>
        <source>Generating the images of model %1…</source>
        <translation>Die Bilder von Modell %1 werden erzeugt…</translation>
    </message>
    <message>
        <location filename="../app/pages/evaluate_page.cpp" line="600"/>
        <source>Model %1, prompt %2 of %3: step %4 of %5</source>
        <translation>Modell %1, Prompt %2 von %3: Schritt %4 von %5</translation>
    </message>
    <message>
        <location filename="../app/pages/evaluate_page.cpp" line="616"/>
        <source>Cannot move %1 to %2.</source>
        <translation>%1 kann nicht nach %2 verschoben werden.</translation>
    </message>
    <message>
        <location filename="../app/pages/evaluate_page.cpp" line="620"/>
        <source>Generating prompt %1 failed: %2</source>
        <translation>Erzeugung von Prompt %1 fehlgeschlagen: %2</translation>
    </message>
    <message>
        <location filename="../app/pages/evaluate_page.cpp" line="123"/>
        <location filename="../app/pages/evaluate_page.cpp" line="641"/>
        <source>Cancelled: the images made so far are kept; Resume goes on from there.</source>
        <translation>Abgebrochen: Die bisher erzeugten Bilder bleiben erhalten; „Fortsetzen“ macht dort weiter.</translation>
    </message>
    <message>
        <location filename="../app/pages/evaluate_page.cpp" line="124"/>
        <source>Generating on the host failed: %1</source>
        <translation>Die Generierung auf dem Host ist fehlgeschlagen: %1</translation>
    </message>
    <message>
        <location filename="../app/pages/evaluate_page.cpp" line="663"/>
        <source>Pair %1 of %2 · %3 voted</source>
        <translation>Paar %1 von %2 · %3 bewertet</translation>
    </message>
    <message>
        <location filename="../app/pages/evaluate_page.cpp" line="664"/>
        <source>“%1”  (%2)</source>
        <translation>„%1“  (%2)</translation>
    </message>
    <message>
        <location filename="../app/pages/evaluate_page.cpp" line="715"/>
        <source>A: %1</source>
        <translation>A: %1</translation>
    </message>
    <message>
        <location filename="../app/pages/evaluate_page.cpp" line="716"/>
        <source>B: %1</source>
        <translation>B: %1</translation>
    </message>
    <message>
        <location filename="../app/pages/evaluate_page.cpp" line="717"/>
        <source>Every pair has its votes. Model A was %1; model B was %2.</source>
        <translation>Jedes Paar hat seine Stimmen. Modell A war %1, Modell B war %2.</translation>
    </message>
    <message>
        <location filename="../app/pages/evaluate_page.cpp" line="721"/>
        <location filename="../app/pages/evaluate_page.cpp" line="726"/>
        <source>Image quality</source>
        <translation>Bildqualität</translation>
    </message>
    <message>
        <location filename="../app/pages/evaluate_page.cpp" line="722"/>
        <location filename="../app/pages/evaluate_page.cpp" line="726"/>
        <source>Prompt alignment</source>
        <translation>Prompt-Treue</translation>
    </message>
    <message>
        <location filename="../app/pages/evaluate_page.cpp" line="727"/>
        <source>Overall</source>
        <translation>Gesamt</translation>
    </message>
    <message>
        <location filename="../app/pages/evaluate_page.cpp" line="744"/>
        <source>Wrote votes.csv and summary.csv to %1.</source>
        <translation>votes.csv und summary.csv nach %1 geschrieben.</translation>
    </message>
    <message>
        <location filename="../app/pages/evaluate_page.cpp" line="745"/>
        <source>Cannot create %1.</source>
        <translation>%1 kann nicht angelegt werden.</translation>
    </message>
</context>
<context>
    <name>EvaluationSession</name>
    <message>
        <location filename="../app/models/evaluation_session.cpp" line="25"/>
        <source>Cannot create the folder %1.</source>
        <translation>Der Ordner %1 kann nicht angelegt werden.</translation>
    </message>
    <message>
        <location filename="../app/models/evaluation_session.cpp" line="45"/>
        <source>Cannot read %1: %2</source>
        <translation>%1 kann nicht gelesen werden: %2</translation>
    </message>
    <message>
        <location filename="../app/models/evaluation_session.cpp" line="52"/>
        <source>%1 is not an evaluation session this version can read.</source>
        <translation>%1 ist keine Evaluierungssitzung, die diese Version lesen kann.</translation>
    </message>
    <message>
        <location filename="../app/models/evaluation_session.cpp" line="70"/>
        <source>%1 names an unknown place to generate: %2.</source>
        <translation>%1 nennt einen unbekannten Ort für die Generierung: %2.</translation>
    </message>
    <message>
        <location filename="../app/models/evaluation_session.cpp" line="86"/>
        <source>%1 holds no prompts.</source>
        <translation>%1 enthält keine Prompts.</translation>
    </message>
    <message>
        <location filename="../app/models/evaluation_session.cpp" line="125"/>
        <source>Cannot save the evaluation to %1: %2</source>
        <translation>Die Evaluierung kann nicht in %1 gespeichert werden: %2</translation>
    </message>
    <message>
        <location filename="../app/models/evaluation_session.cpp" line="208"/>
        <location filename="../app/models/evaluation_session.cpp" line="222"/>
        <location filename="../app/models/evaluation_session.cpp" line="231"/>
        <location filename="../app/models/evaluation_session.cpp" line="247"/>
        <source>Cannot write %1: %2</source>
        <translation>%1 kann nicht geschrieben werden: %2</translation>
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
        <location filename="../app/pages/generate_page.cpp" line="81"/>
        <source>Generate</source>
        <translation>Generieren</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="83"/>
        <source>Generate (Ctrl+Return)</source>
        <translation>Generieren (Strg+Eingabe)</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="85"/>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="87"/>
        <source>Stop after the current step (Esc); nothing of the unfinished image is written.</source>
        <translation>Nach dem laufenden Schritt anhalten (Esc); vom unfertigen Bild wird nichts geschrieben.</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="157"/>
        <source>Model</source>
        <translation>Modell</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="162"/>
        <source>A diffusers folder or a Tessera checkpoint folder</source>
        <translation>Ein diffusers-Ordner oder ein Tessera-Checkpoint-Ordner</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="163"/>
        <source>A diffusers model folder (model_index.json, unet/, vae/, …) or a training checkpoint (RUN_DIR/checkpoints/step-N), which is exported to a model folder first.</source>
        <translation>Ein diffusers-Modellordner (model_index.json, unet/, vae/, …) oder ein Trainings-Checkpoint (RUN_DIR/checkpoints/step-N), der zuerst in einen Modellordner exportiert wird.</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="165"/>
        <location filename="../app/pages/generate_page.cpp" line="272"/>
        <location filename="../app/pages/generate_page.cpp" line="292"/>
        <source>Browse…</source>
        <translation>Durchsuchen…</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="166"/>
        <source>Load</source>
        <translation>Laden</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="177"/>
        <location filename="../app/pages/generate_page.cpp" line="502"/>
        <source>No model loaded.</source>
        <translation>Kein Modell geladen.</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="188"/>
        <source>Prompt</source>
        <translation>Prompt</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="192"/>
        <source>What to draw, e.g. a lighthouse on a cliff at dawn, oil painting</source>
        <translation>Was gezeigt werden soll, z. B. ein Leuchtturm auf einer Klippe im Morgengrauen, Ölgemälde</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="199"/>
        <source>Negative prompt: what to avoid, e.g. blurry, text, watermark</source>
        <translation>Negativer Prompt: was vermieden werden soll, z. B. unscharf, Text, Wasserzeichen</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="206"/>
        <source>Sampling</source>
        <translation>Sampling</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="210"/>
        <source>Model default</source>
        <translation>Modellvorgabe</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="216"/>
        <source>Denoising steps (at least 1); more is slower and usually finer.</source>
        <translation>Entrauschungsschritte (mindestens 1); mehr ist langsamer und meist feiner.</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="223"/>
        <source>Classifier-free guidance (CFG) scale: how closely to follow the prompt.</source>
        <translation>Classifier-free Guidance (CFG): wie genau der Prompt befolgt wird.</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="228"/>
        <source>Random</source>
        <translation>Zufällig</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="230"/>
        <source>A new seed for every generation; the seed used is shown and stored in each image.</source>
        <translation>Ein neuer Seed für jede Generierung; der verwendete Seed wird angezeigt und in jedem Bild gespeichert.</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="244"/>
        <source> px</source>
        <translation> px</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="253"/>
        <source>Images per generation, each with its own noise.</source>
        <translation>Bilder pro Generierung, jedes mit eigenem Rauschen.</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="254"/>
        <source>Sampler</source>
        <translation>Sampler</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="255"/>
        <source>Steps</source>
        <translation>Schritte</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="256"/>
        <source>Guidance (CFG)</source>
        <translation>Guidance (CFG)</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="257"/>
        <source>Seed</source>
        <translation>Seed</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="259"/>
        <source>Size</source>
        <translation>Größe</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="261"/>
        <source>Batch</source>
        <translation>Anzahl</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="263"/>
        <source>Start from an image (img2img)</source>
        <translation>Von einem Bild ausgehen (img2img)</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="271"/>
        <source>A PNG image</source>
        <translation>Ein PNG-Bild</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="281"/>
        <source>How much to change the image: 0 keeps it, 1 ignores it.</source>
        <translation>Wie stark das Bild verändert wird: 0 behält es, 1 ignoriert es.</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="283"/>
        <source>Image</source>
        <translation>Bild</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="285"/>
        <source>Strength</source>
        <translation>Stärke</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="287"/>
        <source>Output folder</source>
        <translation>Ausgabeordner</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="312"/>
        <source>The image appears here as it forms.</source>
        <translation>Hier erscheint das Bild, während es entsteht.</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="342"/>
        <source>Select an image to see the parameters stored in it.</source>
        <translation>Ein Bild auswählen, um die darin gespeicherten Parameter zu sehen.</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="345"/>
        <source>Copy parameters</source>
        <translation>Parameter kopieren</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="347"/>
        <source>Open folder</source>
        <translation>Ordner öffnen</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="365"/>
        <source>Gallery</source>
        <translation>Galerie</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="378"/>
        <source>Choose a model folder or checkpoint</source>
        <translation>Modellordner oder Checkpoint wählen</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="387"/>
        <location filename="../app/pages/generate_page.cpp" line="501"/>
        <source>Choose a model folder first (a diffusers folder or a training checkpoint).</source>
        <translation>Zuerst einen Modellordner wählen (einen diffusers-Ordner oder einen Trainings-Checkpoint).</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="391"/>
        <source>%1 is not a folder. Choose a diffusers model folder or a checkpoint folder.</source>
        <translation>%1 ist kein Ordner. Einen diffusers-Modellordner oder einen Checkpoint-Ordner wählen.</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="395"/>
        <source>Wait for the current generation to end (or cancel it) before loading another model.</source>
        <translation>Vor dem Laden eines anderen Modells das Ende der laufenden Generierung abwarten (oder sie abbrechen).</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="399"/>
        <source>Exporting and loading the checkpoint %1…</source>
        <translation>Checkpoint %1 wird exportiert und geladen…</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="400"/>
        <source>Loading %1…</source>
        <translation>%1 wird geladen…</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="408"/>
        <source>Cannot load the model: %1</source>
        <translation>Das Modell kann nicht geladen werden: %1</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="415"/>
        <source>Model default (%1)</source>
        <translation>Modellvorgabe (%1)</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="427"/>
        <source>Loaded %1: %2 × %3 px by default, sizes in multiples of %4, sampler %5.</source>
        <translation>%1 geladen: standardmäßig %2 × %3 px, Größen in Vielfachen von %4, Sampler %5.</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="454"/>
        <source>Enter a prompt: what the image should show.</source>
        <translation>Einen Prompt eingeben: was das Bild zeigen soll.</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="462"/>
        <source>The seed must be a whole number from 0 to %1, or tick Random.</source>
        <translation>Der Seed muss eine ganze Zahl von 0 bis %1 sein, oder „Zufällig“ ankreuzen.</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="470"/>
        <source>Width and height must be multiples of %1 for this model: try %2 × %3.</source>
        <translation>Breite und Höhe müssen für dieses Modell Vielfache von %1 sein: z. B. %2 × %3.</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="481"/>
        <source>Choose the image to start from, or untick img2img.</source>
        <translation>Das Ausgangsbild wählen oder img2img abwählen.</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="483"/>
        <source>%1 does not exist.</source>
        <translation>%1 existiert nicht.</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="485"/>
        <source>The image to start from must be a PNG.</source>
        <translation>Das Ausgangsbild muss ein PNG sein.</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="490"/>
        <source>Choose the folder the images are written to.</source>
        <translation>Den Ordner wählen, in den die Bilder geschrieben werden.</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="509"/>
        <location filename="../app/pages/generate_page.cpp" line="515"/>
        <source>Nothing started: correct the fields marked in red.</source>
        <translation>Nichts gestartet: die rot markierten Felder korrigieren.</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="514"/>
        <source>Cannot write to %1: choose another folder.</source>
        <translation>In %1 kann nicht geschrieben werden: einen anderen Ordner wählen.</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="541"/>
        <source>The model is not ready.</source>
        <translation>Das Modell ist nicht bereit.</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="548"/>
        <source>Starting…</source>
        <translation>Wird gestartet…</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="559"/>
        <source>Cancelling after the current step…</source>
        <translation>Abbruch nach dem laufenden Schritt…</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="565"/>
        <source>Encoding the prompt…</source>
        <translation>Der Prompt wird kodiert…</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="574"/>
        <source>Step %1 of %2</source>
        <translation>Schritt %1 von %2</translation>
    </message>
    <message numerus="yes">
        <location filename="../app/pages/generate_page.cpp" line="597"/>
        <source>%n image(s) written to %1 in %2 s.</source>
        <translation>
            <numerusform>%n Bild nach %1 geschrieben in %2 s.</numerusform>
            <numerusform>%n Bilder nach %1 geschrieben in %2 s.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="602"/>
        <source>Cancelled; nothing of the unfinished image was written.</source>
        <translation>Abgebrochen; vom unfertigen Bild wurde nichts geschrieben.</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="605"/>
        <source>Generation failed: %1</source>
        <translation>Generierung fehlgeschlagen: %1</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="623"/>
        <source>Parameters copied.</source>
        <translation>Parameter kopiert.</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="650"/>
        <source>Choose the image to start from</source>
        <translation>Ausgangsbild wählen</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="651"/>
        <source>PNG images (*.png)</source>
        <translation>PNG-Bilder (*.png)</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="656"/>
        <source>Choose the output folder</source>
        <translation>Ausgabeordner wählen</translation>
    </message>
</context>
<context>
    <name>GenerationPlaceFields</name>
    <message>
        <location filename="../app/widgets/generation_place_fields.cpp" line="16"/>
        <source>This computer</source>
        <translation>Dieser Computer</translation>
    </message>
    <message>
        <location filename="../app/widgets/generation_place_fields.cpp" line="17"/>
        <source>A GPU host over SSH</source>
        <translation>Ein GPU-Host über SSH</translation>
    </message>
    <message>
        <location filename="../app/widgets/generation_place_fields.cpp" line="18"/>
        <source>A Slurm cluster</source>
        <translation>Ein Slurm-Cluster</translation>
    </message>
    <message>
        <location filename="../app/widgets/generation_place_fields.cpp" line="19"/>
        <source>On a host, both models are paths there and tessera generate runs there; the images come back here.</source>
        <translation>Auf einem Host sind beide Modelle Pfade dort, und tessera generate läuft dort; die Bilder kommen hierher zurück.</translation>
    </message>
    <message>
        <location filename="../app/widgets/generation_place_fields.cpp" line="20"/>
        <source>Generate &amp;on:</source>
        <translation>Generieren &amp;auf:</translation>
    </message>
    <message>
        <location filename="../app/widgets/generation_place_fields.cpp" line="30"/>
        <source>&amp;Host:</source>
        <translation>&amp;Host:</translation>
    </message>
    <message>
        <location filename="../app/widgets/generation_place_fields.cpp" line="35"/>
        <source>The tessera binary on the host (default: tessera on its PATH).</source>
        <translation>Das tessera-Programm auf dem Host (Standard: tessera aus seinem PATH).</translation>
    </message>
    <message>
        <location filename="../app/widgets/generation_place_fields.cpp" line="36"/>
        <source>&amp;tessera there:</source>
        <translation>&amp;tessera dort:</translation>
    </message>
    <message>
        <location filename="../app/widgets/generation_place_fields.cpp" line="37"/>
        <source>Use the host&apos;s &amp;CPU (no GPU there)</source>
        <translation>&amp;CPU des Hosts verwenden (dort keine GPU)</translation>
    </message>
    <message>
        <location filename="../app/widgets/generation_place_fields.cpp" line="51"/>
        <source>the login host, [user@]host[:port] (empty: this machine)</source>
        <translation>der Login-Host, [benutzer@]host[:port] (leer: dieser Rechner)</translation>
    </message>
    <message>
        <location filename="../app/widgets/generation_place_fields.cpp" line="52"/>
        <source>[user@]host[:port] or an alias from ~/.ssh/config</source>
        <translation>[benutzer@]host[:port] oder ein Alias aus ~/.ssh/config</translation>
    </message>
    <message>
        <location filename="../app/widgets/generation_place_fields.cpp" line="75"/>
        <source>Name the GPU host: [user@]host[:port].</source>
        <translation>Geben Sie den GPU-Host an: [benutzer@]host[:port].</translation>
    </message>
    <message>
        <location filename="../app/widgets/generation_place_fields.cpp" line="76"/>
        <source>A host name has no spaces.</source>
        <translation>Ein Hostname enthält keine Leerzeichen.</translation>
    </message>
</context>
<context>
    <name>HistogramPlot</name>
    <message>
        <location filename="../app/widgets/histogram_plot.cpp" line="25"/>
        <source>all</source>
        <translation>alle</translation>
    </message>
    <message>
        <location filename="../app/widgets/histogram_plot.cpp" line="30"/>
        <source>kept</source>
        <translation>behalten</translation>
    </message>
    <message>
        <location filename="../app/widgets/histogram_plot.cpp" line="34"/>
        <source>images</source>
        <translation>Bilder</translation>
    </message>
</context>
<context>
    <name>Language</name>
    <message>
        <location filename="../app/language.cpp" line="16"/>
        <source>System language</source>
        <translation>Systemsprache</translation>
    </message>
</context>
<context>
    <name>LaunchDialog</name>
    <message>
        <location filename="../app/dialogs/launch_dialog.cpp" line="82"/>
        <source>Launch %1</source>
        <translation>%1 starten</translation>
    </message>
    <message>
        <location filename="../app/dialogs/launch_dialog.cpp" line="90"/>
        <source>Run name</source>
        <translation>Name des Laufs</translation>
    </message>
    <message>
        <location filename="../app/dialogs/launch_dialog.cpp" line="92"/>
        <source>Config</source>
        <translation>Konfiguration</translation>
    </message>
    <message>
        <location filename="../app/dialogs/launch_dialog.cpp" line="97"/>
        <source>&amp;This machine</source>
        <translation>&amp;Dieser Rechner</translation>
    </message>
    <message>
        <location filename="../app/dialogs/launch_dialog.cpp" line="98"/>
        <source>&amp;SSH hosts</source>
        <translation>&amp;SSH-Hosts</translation>
    </message>
    <message>
        <location filename="../app/dialogs/launch_dialog.cpp" line="99"/>
        <source>S&amp;lurm</source>
        <translation>S&amp;lurm</translation>
    </message>
    <message>
        <location filename="../app/dialogs/launch_dialog.cpp" line="105"/>
        <source>The tessera binary on the machines that train (a name on their PATH, or a full path).</source>
        <translation>Das tessera-Programm auf den trainierenden Rechnern (ein Name in ihrem PATH oder ein vollständiger Pfad).</translation>
    </message>
    <message>
        <location filename="../app/dialogs/launch_dialog.cpp" line="107"/>
        <source>Check the hosts first</source>
        <translation>Zuerst die Hosts prüfen</translation>
    </message>
    <message>
        <location filename="../app/dialogs/launch_dialog.cpp" line="109"/>
        <source>The tessera binary, free GPUs, disk space and the rendezvous port, before anything starts.</source>
        <translation>Das tessera-Programm, freie GPUs, Speicherplatz und den Rendezvous-Port, bevor etwas startet.</translation>
    </message>
    <message>
        <location filename="../app/dialogs/launch_dialog.cpp" line="113"/>
        <source> GiB free disk</source>
        <translation> GiB freier Speicher</translation>
    </message>
    <message>
        <location filename="../app/dialogs/launch_dialog.cpp" line="117"/>
        <source>tessera binary</source>
        <translation>tessera-Programm</translation>
    </message>
    <message>
        <location filename="../app/dialogs/launch_dialog.cpp" line="143"/>
        <source>Launch</source>
        <translation>Starten</translation>
    </message>
    <message>
        <location filename="../app/dialogs/launch_dialog.cpp" line="148"/>
        <source>Close; while launching: stop before the run starts (Esc).</source>
        <translation>Schließen; während des Startens: vor dem Start des Laufs abbrechen (Esc).</translation>
    </message>
    <message>
        <location filename="../app/dialogs/launch_dialog.cpp" line="179"/>
        <source>The run folder on this machine: config, metrics, checkpoints and samples go there.</source>
        <translation>Der Ordner des Laufs auf diesem Rechner: Konfiguration, Metriken, Checkpoints und Beispielbilder landen dort.</translation>
    </message>
    <message>
        <location filename="../app/dialogs/launch_dialog.cpp" line="180"/>
        <source>Browse…</source>
        <translation>Durchsuchen…</translation>
    </message>
    <message>
        <location filename="../app/dialogs/launch_dialog.cpp" line="182"/>
        <source>Choose the run folder</source>
        <translation>Ordner des Laufs wählen</translation>
    </message>
    <message>
        <location filename="../app/dialogs/launch_dialog.cpp" line="191"/>
        <source>Processes to start, one per GPU (Gloo between them on a CPU).</source>
        <translation>Zu startende Prozesse, einer pro GPU (Gloo zwischen ihnen auf einer CPU).</translation>
    </message>
    <message>
        <location filename="../app/dialogs/launch_dialog.cpp" line="192"/>
        <source>Train on the CPU (no GPU check)</source>
        <translation>Auf der CPU trainieren (keine GPU-Prüfung)</translation>
    </message>
    <message>
        <location filename="../app/dialogs/launch_dialog.cpp" line="194"/>
        <source>Run folder</source>
        <translation>Ordner des Laufs</translation>
    </message>
    <message>
        <location filename="../app/dialogs/launch_dialog.cpp" line="196"/>
        <source>Processes</source>
        <translation>Prozesse</translation>
    </message>
    <message>
        <location filename="../app/dialogs/launch_dialog.cpp" line="206"/>
        <source>One host per line: [user@]host[:port] or an ~/.ssh/config alias; the first is the rendezvous host</source>
        <translation>Ein Host pro Zeile: [user@]host[:port] oder ein Alias aus ~/.ssh/config; der erste ist der Rendezvous-Host</translation>
    </message>
    <message>
        <location filename="../app/dialogs/launch_dialog.cpp" line="215"/>
        <source>The run folder on the hosts (absolute, or relative to the login folder); the same path on each.</source>
        <translation>Der Ordner des Laufs auf den Hosts (absolut oder relativ zum Login-Ordner); auf jedem derselbe Pfad.</translation>
    </message>
    <message>
        <location filename="../app/dialogs/launch_dialog.cpp" line="220"/>
        <source>Hosts</source>
        <translation>Hosts</translation>
    </message>
    <message>
        <location filename="../app/dialogs/launch_dialog.cpp" line="222"/>
        <source>GPUs per host</source>
        <translation>GPUs pro Host</translation>
    </message>
    <message>
        <location filename="../app/dialogs/launch_dialog.cpp" line="223"/>
        <location filename="../app/dialogs/launch_dialog.cpp" line="273"/>
        <source>Run folder there</source>
        <translation>Ordner des Laufs dort</translation>
    </message>
    <message>
        <location filename="../app/dialogs/launch_dialog.cpp" line="225"/>
        <source>Rendezvous port</source>
        <translation>Rendezvous-Port</translation>
    </message>
    <message>
        <location filename="../app/dialogs/launch_dialog.cpp" line="234"/>
        <source>The login node ([user@]host[:port]); empty: sbatch on this machine</source>
        <translation>Der Login-Knoten ([user@]host[:port]); leer: sbatch auf diesem Rechner</translation>
    </message>
    <message>
        <location filename="../app/dialogs/launch_dialog.cpp" line="244"/>
        <source>[D-]HH:MM:SS; empty: the partition&apos;s limit</source>
        <translation>[T-]HH:MM:SS; leer: das Limit der Partition</translation>
    </message>
    <message>
        <location filename="../app/dialogs/launch_dialog.cpp" line="252"/>
        <source>Extra lines, each a whole #SBATCH line, e.g. #SBATCH --exclusive</source>
        <translation>Zusätzliche Zeilen, jede eine ganze #SBATCH-Zeile, z. B. #SBATCH --exclusive</translation>
    </message>
    <message>
        <location filename="../app/dialogs/launch_dialog.cpp" line="257"/>
        <source>The run folder on the cluster&apos;s shared file system.</source>
        <translation>Der Ordner des Laufs im gemeinsamen Dateisystem des Clusters.</translation>
    </message>
    <message>
        <location filename="../app/dialogs/launch_dialog.cpp" line="263"/>
        <source>The batch script that will be submitted.</source>
        <translation>Das Batch-Skript, das eingereicht wird.</translation>
    </message>
    <message>
        <location filename="../app/dialogs/launch_dialog.cpp" line="264"/>
        <source>Login host</source>
        <translation>Login-Host</translation>
    </message>
    <message>
        <location filename="../app/dialogs/launch_dialog.cpp" line="266"/>
        <source>Nodes</source>
        <translation>Knoten</translation>
    </message>
    <message>
        <location filename="../app/dialogs/launch_dialog.cpp" line="267"/>
        <source>GPUs per node</source>
        <translation>GPUs pro Knoten</translation>
    </message>
    <message>
        <location filename="../app/dialogs/launch_dialog.cpp" line="268"/>
        <source>Time limit</source>
        <translation>Zeitlimit</translation>
    </message>
    <message>
        <location filename="../app/dialogs/launch_dialog.cpp" line="269"/>
        <source>Partition</source>
        <translation>Partition</translation>
    </message>
    <message>
        <location filename="../app/dialogs/launch_dialog.cpp" line="270"/>
        <source>Account</source>
        <translation>Konto</translation>
    </message>
    <message>
        <location filename="../app/dialogs/launch_dialog.cpp" line="271"/>
        <source>Extra #SBATCH lines</source>
        <translation>Zusätzliche #SBATCH-Zeilen</translation>
    </message>
    <message>
        <location filename="../app/dialogs/launch_dialog.cpp" line="275"/>
        <source>Batch script</source>
        <translation>Batch-Skript</translation>
    </message>
    <message>
        <location filename="../app/dialogs/launch_dialog.cpp" line="345"/>
        <source>No script: %1</source>
        <translation>Kein Skript: %1</translation>
    </message>
    <message numerus="yes">
        <location filename="../app/dialogs/launch_dialog.cpp" line="355"/>
        <source>The global batch (%1) does not divide into microbatch %2 × %n rank(s): change the batch or the GPUs, or the run stops at its start.</source>
        <translation>
            <numerusform>Die globale Batchgröße (%1) ist nicht durch Mikrobatch %2 × %n Rang teilbar: Batchgröße oder GPUs ändern, sonst bricht der Lauf beim Start ab.</numerusform>
            <numerusform>Die globale Batchgröße (%1) ist nicht durch Mikrobatch %2 × %n Ränge teilbar: Batchgröße oder GPUs ändern, sonst bricht der Lauf beim Start ab.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../app/dialogs/launch_dialog.cpp" line="377"/>
        <source>&apos;%1&apos; is not a host: write [user@]host[:port] or an alias from ~/.ssh/config.</source>
        <translation>„%1“ ist kein Host: [user@]host[:port] oder einen Alias aus ~/.ssh/config schreiben.</translation>
    </message>
    <message>
        <location filename="../app/dialogs/launch_dialog.cpp" line="382"/>
        <source>Enter the run folder.</source>
        <translation>Den Ordner des Laufs eingeben.</translation>
    </message>
    <message>
        <location filename="../app/dialogs/launch_dialog.cpp" line="383"/>
        <source>The run folder cannot span lines.</source>
        <translation>Der Ordner des Laufs darf nicht über mehrere Zeilen gehen.</translation>
    </message>
    <message>
        <location filename="../app/dialogs/launch_dialog.cpp" line="386"/>
        <source>Give the run a name.</source>
        <translation>Dem Lauf einen Namen geben.</translation>
    </message>
    <message>
        <location filename="../app/dialogs/launch_dialog.cpp" line="392"/>
        <source>%1 is a file, not a folder.</source>
        <translation>%1 ist eine Datei, kein Ordner.</translation>
    </message>
    <message>
        <location filename="../app/dialogs/launch_dialog.cpp" line="398"/>
        <source>Enter at least one host.</source>
        <translation>Mindestens einen Host eingeben.</translation>
    </message>
    <message>
        <location filename="../app/dialogs/launch_dialog.cpp" line="406"/>
        <source>The time limit must read [D-]HH:MM:SS, e.g. 2-00:00:00.</source>
        <translation>Das Zeitlimit muss [T-]HH:MM:SS lauten, z. B. 2-00:00:00.</translation>
    </message>
    <message>
        <location filename="../app/dialogs/launch_dialog.cpp" line="408"/>
        <source>The partition may hold letters, digits and . _ , - only.</source>
        <translation>Die Partition darf nur Buchstaben, Ziffern und . _ , - enthalten.</translation>
    </message>
    <message>
        <location filename="../app/dialogs/launch_dialog.cpp" line="410"/>
        <source>The account may hold letters, digits and . _ - only.</source>
        <translation>Das Konto darf nur Buchstaben, Ziffern und . _ - enthalten.</translation>
    </message>
    <message>
        <location filename="../app/dialogs/launch_dialog.cpp" line="413"/>
        <source>Each extra line must start with &apos;#SBATCH &apos;: %1</source>
        <translation>Jede zusätzliche Zeile muss mit „#SBATCH “ beginnen: %1</translation>
    </message>
    <message>
        <location filename="../app/dialogs/launch_dialog.cpp" line="428"/>
        <source>Nothing started: correct the fields marked in red.</source>
        <translation>Nichts gestartet: die rot markierten Felder korrigieren.</translation>
    </message>
    <message>
        <location filename="../app/dialogs/launch_dialog.cpp" line="433"/>
        <source>Nothing started: %1</source>
        <translation>Nichts gestartet: %1</translation>
    </message>
    <message>
        <location filename="../app/dialogs/launch_dialog.cpp" line="462"/>
        <source>Starting…</source>
        <translation>Starte…</translation>
    </message>
    <message>
        <location filename="../app/dialogs/launch_dialog.cpp" line="471"/>
        <source>Copying the config into the run folder…</source>
        <translation>Kopiere die Konfiguration in den Ordner des Laufs…</translation>
    </message>
    <message>
        <location filename="../app/dialogs/launch_dialog.cpp" line="472"/>
        <source>Connecting to %1…</source>
        <translation>Verbinde mit %1…</translation>
    </message>
    <message>
        <location filename="../app/dialogs/launch_dialog.cpp" line="473"/>
        <source>Uploading the config to %1…</source>
        <translation>Lade die Konfiguration auf %1 hoch…</translation>
    </message>
    <message>
        <location filename="../app/dialogs/launch_dialog.cpp" line="474"/>
        <source>Checking the hosts (tessera, GPUs, disk, rendezvous)…</source>
        <translation>Prüfe die Hosts (tessera, GPUs, Speicher, Rendezvous)…</translation>
    </message>
    <message>
        <location filename="../app/dialogs/launch_dialog.cpp" line="475"/>
        <source>Starting the run…</source>
        <translation>Starte den Lauf…</translation>
    </message>
    <message>
        <location filename="../app/dialogs/launch_dialog.cpp" line="476"/>
        <source>Recording the run…</source>
        <translation>Trage den Lauf ein…</translation>
    </message>
    <message>
        <location filename="../app/dialogs/launch_dialog.cpp" line="488"/>
        <source>Run %1 started; follow it on the Runs page (Ctrl+3).</source>
        <translation>Lauf %1 gestartet; auf der Seite „Läufe“ verfolgen (Strg+3).</translation>
    </message>
    <message>
        <location filename="../app/dialogs/launch_dialog.cpp" line="491"/>
        <source>Cancelled; nothing was started.</source>
        <translation>Abgebrochen; nichts wurde gestartet.</translation>
    </message>
    <message>
        <location filename="../app/dialogs/launch_dialog.cpp" line="493"/>
        <source>The host checks failed (see below): fix them, or untick the checks to launch anyway.</source>
        <translation>Die Prüfung der Hosts ist fehlgeschlagen (siehe unten): die Fehler beheben oder die Prüfung abwählen, um trotzdem zu starten.</translation>
    </message>
    <message>
        <location filename="../app/dialogs/launch_dialog.cpp" line="495"/>
        <source>Not started: %1</source>
        <translation>Nicht gestartet: %1</translation>
    </message>
    <message>
        <location filename="../app/dialogs/launch_dialog.cpp" line="506"/>
        <source>Cancelling before the next stage…</source>
        <translation>Breche vor dem nächsten Schritt ab…</translation>
    </message>
    <message>
        <location filename="../app/dialogs/launch_dialog.cpp" line="526"/>
        <source>Close</source>
        <translation>Schließen</translation>
    </message>
    <message>
        <location filename="../app/dialogs/launch_dialog.cpp" line="526"/>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
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
        <location filename="../app/widgets/loss_plot.cpp" line="22"/>
        <source>step</source>
        <translation>Schritt</translation>
    </message>
    <message>
        <location filename="../app/widgets/loss_plot.cpp" line="23"/>
        <source>loss</source>
        <translation>Loss</translation>
    </message>
    <message>
        <location filename="../app/widgets/loss_plot.cpp" line="53"/>
        <source> (raw)</source>
        <translation> (roh)</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../app/main_window.cpp" line="42"/>
        <source>Tessera Studio</source>
        <translation>Tessera Studio</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="61"/>
        <source>Datasets</source>
        <translation>Datensätze</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="64"/>
        <source>Train</source>
        <translation>Training</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="66"/>
        <source>Runs</source>
        <translation>Läufe</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="70"/>
        <source>Generate</source>
        <translation>Generieren</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="71"/>
        <source>Evaluate</source>
        <translation>Bewerten</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="83"/>
        <source>LibTorch %1 · %2 · %3 CPU threads</source>
        <translation>LibTorch %1 · %2 · %3 CPU-Threads</translation>
    </message>
    <message numerus="yes">
        <location filename="../app/main_window.cpp" line="85"/>
        <source>%n CUDA device(s)</source>
        <translation>
            <numerusform>%n CUDA-Gerät</numerusform>
            <numerusform>%n CUDA-Geräte</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="85"/>
        <source>CPU only</source>
        <translation>nur CPU</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="108"/>
        <source>%1 (Ctrl+%2)</source>
        <translation>%1 (Strg+%2)</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="112"/>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="113"/>
        <source>&amp;New Project…</source>
        <translation>&amp;Neues Projekt…</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="116"/>
        <source>&amp;Open Project…</source>
        <translation>Projekt ö&amp;ffnen…</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="119"/>
        <source>Open &amp;Recent</source>
        <translation>&amp;Zuletzt geöffnet</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="124"/>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="128"/>
        <source>&amp;View</source>
        <translation>&amp;Ansicht</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="136"/>
        <source>&amp;Settings</source>
        <translation>&amp;Einstellungen</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="137"/>
        <source>&amp;Language</source>
        <translation>&amp;Sprache</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="149"/>
        <source>The language changes to %1 when Tessera Studio is restarted.</source>
        <translation>Die Sprache wechselt zu %1, wenn Tessera Studio neu gestartet wird.</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="155"/>
        <source>Takes effect after a restart</source>
        <translation>Wirkt nach einem Neustart</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="157"/>
        <source>&amp;Help</source>
        <translation>&amp;Hilfe</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="158"/>
        <source>&amp;About Tessera Studio</source>
        <translation>Ü&amp;ber Tessera Studio</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="159"/>
        <source>About &amp;Qt</source>
        <translation>Über &amp;Qt</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="163"/>
        <source>New project: choose or create an empty folder</source>
        <translation>Neues Projekt: einen leeren Ordner wählen oder anlegen</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="168"/>
        <source>New project</source>
        <translation>Neues Projekt</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="173"/>
        <source>Open a project folder</source>
        <translation>Einen Projektordner öffnen</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="176"/>
        <location filename="../app/main_window.cpp" line="187"/>
        <source>Open project</source>
        <translation>Projekt öffnen</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="191"/>
        <source>No recent projects</source>
        <translation>Keine zuletzt geöffneten Projekte</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="193"/>
        <source>&amp;Clear the list</source>
        <translation>Liste &amp;leeren</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="216"/>
        <source>%1 — Tessera Studio</source>
        <translation>%1 — Tessera Studio</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="228"/>
        <source>Project %1 opened.</source>
        <translation>Projekt %1 geöffnet.</translation>
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
    <name>PreferenceChart</name>
    <message>
        <location filename="../app/widgets/preference_chart.cpp" line="51"/>
        <source>Overall</source>
        <translation>Gesamt</translation>
    </message>
    <message>
        <location filename="../app/widgets/preference_chart.cpp" line="52"/>
        <source>n = %1</source>
        <translation>n = %1</translation>
    </message>
    <message>
        <location filename="../app/widgets/preference_chart.cpp" line="65"/>
        <source>preference rate (95% CI)</source>
        <translation>Präferenzrate (95-%-KI)</translation>
    </message>
</context>
<context>
    <name>Project</name>
    <message>
        <location filename="../app/project.cpp" line="41"/>
        <source>%1 is a file, not a folder.</source>
        <translation>%1 ist eine Datei, kein Ordner.</translation>
    </message>
    <message>
        <location filename="../app/project.cpp" line="47"/>
        <source>%1 already holds other files: choose an empty or new folder.</source>
        <translation>%1 enthält schon andere Dateien: Wählen Sie einen leeren oder neuen Ordner.</translation>
    </message>
    <message>
        <location filename="../app/project.cpp" line="51"/>
        <source>Cannot create %1.</source>
        <translation>%1 kann nicht angelegt werden.</translation>
    </message>
    <message>
        <location filename="../app/project.cpp" line="59"/>
        <source>Cannot write %1: %2</source>
        <translation>%1 kann nicht geschrieben werden: %2</translation>
    </message>
    <message>
        <location filename="../app/project.cpp" line="69"/>
        <source>%1 is not a Tessera project (it has no %2).</source>
        <translation>%1 ist kein Tessera-Projekt (es fehlt %2).</translation>
    </message>
    <message>
        <location filename="../app/project.cpp" line="74"/>
        <source>%1 is not a Tessera project file.</source>
        <translation>%1 ist keine Tessera-Projektdatei.</translation>
    </message>
    <message>
        <location filename="../app/project.cpp" line="78"/>
        <source>%1 was made by a newer Tessera Studio: update it to open this project.</source>
        <translation>%1 stammt von einem neueren Tessera Studio: Aktualisieren Sie es, um dieses Projekt zu öffnen.</translation>
    </message>
</context>
<context>
    <name>PromptCsv</name>
    <message>
        <location filename="../app/models/prompt_set.cpp" line="67"/>
        <source>Line %1: a quote inside an unquoted field; put the whole field in quotes and double the quote (&quot;&quot;).</source>
        <translation>Zeile %1: Anführungszeichen in einem Feld ohne Anführungszeichen; setzen Sie das ganze Feld in Anführungszeichen und verdoppeln Sie das Zeichen (&quot;&quot;).</translation>
    </message>
    <message>
        <location filename="../app/models/prompt_set.cpp" line="77"/>
        <source>Line %1: text after a closing quote; a quoted field must end at a comma or the end of the line.</source>
        <translation>Zeile %1: Text nach dem schließenden Anführungszeichen; ein Feld in Anführungszeichen muss an einem Komma oder am Zeilenende enden.</translation>
    </message>
    <message>
        <location filename="../app/models/prompt_set.cpp" line="86"/>
        <source>Line %1: a quoted field is never closed.</source>
        <translation>Zeile %1: Ein Feld in Anführungszeichen wird nie geschlossen.</translation>
    </message>
    <message>
        <location filename="../app/models/prompt_set.cpp" line="99"/>
        <source>The file is empty: it needs a header row with Prompt and Category columns.</source>
        <translation>Die Datei ist leer: Sie braucht eine Kopfzeile mit den Spalten Prompt und Category.</translation>
    </message>
    <message>
        <location filename="../app/models/prompt_set.cpp" line="111"/>
        <source>Line %1: the header row must name a Prompt and a Category column (found: %2).</source>
        <translation>Zeile %1: Die Kopfzeile muss eine Spalte Prompt und eine Spalte Category nennen (gefunden: %2).</translation>
    </message>
    <message>
        <location filename="../app/models/prompt_set.cpp" line="119"/>
        <source>Line %1: %2 fields where the header has %3.</source>
        <translation>Zeile %1: %2 Felder, die Kopfzeile hat aber %3.</translation>
    </message>
    <message>
        <location filename="../app/models/prompt_set.cpp" line="125"/>
        <source>Line %1: the prompt is empty.</source>
        <translation>Zeile %1: Der Prompt ist leer.</translation>
    </message>
    <message>
        <location filename="../app/models/prompt_set.cpp" line="129"/>
        <source>(none)</source>
        <translation>(keine)</translation>
    </message>
    <message>
        <location filename="../app/models/prompt_set.cpp" line="132"/>
        <source>The file has a header row but no prompts.</source>
        <translation>Die Datei hat eine Kopfzeile, aber keine Prompts.</translation>
    </message>
    <message>
        <location filename="../app/models/prompt_set.cpp" line="140"/>
        <source>Cannot read %1: %2</source>
        <translation>%1 kann nicht gelesen werden: %2</translation>
    </message>
</context>
<context>
    <name>RatePlot</name>
    <message>
        <location filename="../app/widgets/rate_plot.cpp" line="18"/>
        <source>step</source>
        <translation>Schritt</translation>
    </message>
    <message>
        <location filename="../app/widgets/rate_plot.cpp" line="19"/>
        <source>learning rate</source>
        <translation>Lernrate</translation>
    </message>
    <message>
        <location filename="../app/widgets/rate_plot.cpp" line="21"/>
        <source>images/s (dashed)</source>
        <translation>Bilder/s (gestrichelt)</translation>
    </message>
</context>
<context>
    <name>RemoteEvaluationGenerator</name>
    <message>
        <location filename="../app/workers/remote_evaluation.cpp" line="83"/>
        <source>connecting to %1</source>
        <translation>Verbindung zu %1</translation>
    </message>
    <message>
        <location filename="../app/workers/remote_evaluation.cpp" line="84"/>
        <source>checking %1</source>
        <translation>%1 wird geprüft</translation>
    </message>
    <message>
        <location filename="../app/workers/remote_evaluation.cpp" line="85"/>
        <source>starting on %1</source>
        <translation>Start auf %1</translation>
    </message>
    <message>
        <location filename="../app/workers/remote_evaluation.cpp" line="86"/>
        <source>generating on %1</source>
        <translation>Generierung auf %1</translation>
    </message>
    <message>
        <location filename="../app/workers/remote_evaluation.cpp" line="87"/>
        <source>preparing on %1</source>
        <translation>Vorbereitung auf %1</translation>
    </message>
    <message>
        <location filename="../app/workers/remote_evaluation.cpp" line="88"/>
        <source>Model %1: %2…</source>
        <translation>Modell %1: %2…</translation>
    </message>
    <message>
        <location filename="../app/workers/remote_evaluation.cpp" line="91"/>
        <source>Model %1: %2 of %3 images made on the host</source>
        <translation>Modell %1: %2 von %3 Bildern auf dem Host erzeugt</translation>
    </message>
    <message>
        <location filename="../app/workers/remote_evaluation.cpp" line="99"/>
        <source>Connection restored.</source>
        <translation>Verbindung wiederhergestellt.</translation>
    </message>
    <message>
        <location filename="../app/workers/remote_evaluation.cpp" line="99"/>
        <source>Connection lost (%1); trying again…</source>
        <translation>Verbindung verloren (%1); neuer Versuch…</translation>
    </message>
    <message>
        <location filename="../app/workers/remote_evaluation.cpp" line="110"/>
        <source>Cannot move %1 to %2.</source>
        <translation>%1 kann nicht nach %2 verschoben werden.</translation>
    </message>
</context>
<context>
    <name>RunConfigDocument</name>
    <message>
        <location filename="../app/models/run_config_document.cpp" line="49"/>
        <source>the file is not a YAML mapping of keys</source>
        <translation>die Datei ist keine YAML-Zuordnung von Schlüsseln</translation>
    </message>
</context>
<context>
    <name>RunListModel</name>
    <message>
        <location filename="../app/models/run_list_model.cpp" line="39"/>
        <source>pending</source>
        <translation>wartend</translation>
    </message>
    <message>
        <location filename="../app/models/run_list_model.cpp" line="40"/>
        <source>running</source>
        <translation>läuft</translation>
    </message>
    <message>
        <location filename="../app/models/run_list_model.cpp" line="41"/>
        <source>succeeded</source>
        <translation>erfolgreich</translation>
    </message>
    <message>
        <location filename="../app/models/run_list_model.cpp" line="42"/>
        <source>failed</source>
        <translation>fehlgeschlagen</translation>
    </message>
    <message>
        <location filename="../app/models/run_list_model.cpp" line="43"/>
        <source>cancelled</source>
        <translation>abgebrochen</translation>
    </message>
    <message>
        <location filename="../app/models/run_list_model.cpp" line="44"/>
        <source>lost</source>
        <translation>verloren</translation>
    </message>
    <message>
        <location filename="../app/models/run_list_model.cpp" line="52"/>
        <source>start</source>
        <translation>Start</translation>
    </message>
    <message>
        <location filename="../app/models/run_list_model.cpp" line="52"/>
        <source>resume</source>
        <translation>Fortsetzung</translation>
    </message>
    <message>
        <location filename="../app/models/run_list_model.cpp" line="53"/>
        <source>restart</source>
        <translation>Neustart</translation>
    </message>
    <message>
        <location filename="../app/models/run_list_model.cpp" line="53"/>
        <source>stage</source>
        <translation>Stufe</translation>
    </message>
    <message>
        <location filename="../app/models/run_list_model.cpp" line="54"/>
        <source>checkpoint</source>
        <translation>Checkpoint</translation>
    </message>
    <message>
        <location filename="../app/models/run_list_model.cpp" line="54"/>
        <source>NaN</source>
        <translation>NaN</translation>
    </message>
    <message>
        <location filename="../app/models/run_list_model.cpp" line="55"/>
        <source>rollback</source>
        <translation>Rücksprung</translation>
    </message>
    <message>
        <location filename="../app/models/run_list_model.cpp" line="55"/>
        <source>watchdog</source>
        <translation>Watchdog</translation>
    </message>
    <message>
        <location filename="../app/models/run_list_model.cpp" line="56"/>
        <source>sample</source>
        <translation>Beispiel</translation>
    </message>
    <message>
        <location filename="../app/models/run_list_model.cpp" line="56"/>
        <source>finish</source>
        <translation>Ende</translation>
    </message>
    <message>
        <location filename="../app/models/run_list_model.cpp" line="57"/>
        <source>error</source>
        <translation>Fehler</translation>
    </message>
    <message>
        <location filename="../app/models/run_list_model.cpp" line="57"/>
        <source>fault</source>
        <translation>Störung</translation>
    </message>
    <message>
        <location filename="../app/models/run_list_model.cpp" line="94"/>
        <source>Run</source>
        <translation>Lauf</translation>
    </message>
    <message>
        <location filename="../app/models/run_list_model.cpp" line="95"/>
        <source>State</source>
        <translation>Zustand</translation>
    </message>
    <message>
        <location filename="../app/models/run_list_model.cpp" line="96"/>
        <source>Launcher</source>
        <translation>Starter</translation>
    </message>
    <message>
        <location filename="../app/models/run_list_model.cpp" line="97"/>
        <source>Hosts</source>
        <translation>Hosts</translation>
    </message>
    <message>
        <location filename="../app/models/run_list_model.cpp" line="98"/>
        <source>Updated</source>
        <translation>Aktualisiert</translation>
    </message>
</context>
<context>
    <name>RunsPage</name>
    <message>
        <location filename="../app/pages/runs_page.cpp" line="43"/>
        <source>Refresh</source>
        <translation>Aktualisieren</translation>
    </message>
    <message>
        <location filename="../app/pages/runs_page.cpp" line="45"/>
        <location filename="../app/pages/runs_page.cpp" line="330"/>
        <source>Cancel run</source>
        <translation>Lauf abbrechen</translation>
    </message>
    <message>
        <location filename="../app/pages/runs_page.cpp" line="48"/>
        <source>Log scale</source>
        <translation>Log-Skala</translation>
    </message>
    <message>
        <location filename="../app/pages/runs_page.cpp" line="55"/>
        <source>Smoothing of the loss curve</source>
        <translation>Glättung der Loss-Kurve</translation>
    </message>
    <message>
        <location filename="../app/pages/runs_page.cpp" line="56"/>
        <source>Fetch checkpoints…</source>
        <translation>Checkpoints holen…</translation>
    </message>
    <message>
        <location filename="../app/pages/runs_page.cpp" line="58"/>
        <source>Copy the followed run&apos;s checkpoints to a folder here (only what changed)</source>
        <translation>Die Checkpoints des verfolgten Laufs in einen Ordner hier kopieren (nur Geändertes)</translation>
    </message>
    <message>
        <location filename="../app/pages/runs_page.cpp" line="60"/>
        <source>Export checkpoint…</source>
        <translation>Checkpoint exportieren…</translation>
    </message>
    <message>
        <location filename="../app/pages/runs_page.cpp" line="62"/>
        <source>Write a checkpoint here as a diffusers folder, for the Generate and Evaluate pages</source>
        <translation>Einen Checkpoint hier als diffusers-Ordner schreiben, für die Seiten Generieren und Bewerten</translation>
    </message>
    <message>
        <location filename="../app/pages/runs_page.cpp" line="68"/>
        <source>Smoothing</source>
        <translation>Glättung</translation>
    </message>
    <message>
        <location filename="../app/pages/runs_page.cpp" line="85"/>
        <location filename="../app/pages/runs_page.cpp" line="156"/>
        <source>Select a run to follow it (Ctrl+click to overlay several).</source>
        <translation>Einen Lauf auswählen, um ihm zu folgen (Strg+Klick legt mehrere übereinander).</translation>
    </message>
    <message>
        <location filename="../app/pages/runs_page.cpp" line="105"/>
        <source>Log</source>
        <translation>Protokoll</translation>
    </message>
    <message>
        <location filename="../app/pages/runs_page.cpp" line="106"/>
        <source>Samples</source>
        <translation>Beispielbilder</translation>
    </message>
    <message>
        <location filename="../app/pages/runs_page.cpp" line="141"/>
        <source>Some run records cannot be read: %1</source>
        <translation>Einige Laufeinträge können nicht gelesen werden: %1</translation>
    </message>
    <message>
        <location filename="../app/pages/runs_page.cpp" line="210"/>
        <source>%1: connection lost (%2); retrying</source>
        <translation>%1: Verbindung verloren (%2); neuer Versuch</translation>
    </message>
    <message>
        <location filename="../app/pages/runs_page.cpp" line="215"/>
        <source>Some sample images could not be fetched: %1</source>
        <translation>Einige Beispielbilder konnten nicht geholt werden: %1</translation>
    </message>
    <message>
        <location filename="../app/pages/runs_page.cpp" line="219"/>
        <source>Fetching %1 (file %2 of %3)…</source>
        <translation>%1 wird geholt (Datei %2 von %3)…</translation>
    </message>
    <message>
        <location filename="../app/pages/runs_page.cpp" line="223"/>
        <source>Checkpoints in %1: %2</source>
        <translation>Checkpoints in %1: %2</translation>
    </message>
    <message>
        <location filename="../app/pages/runs_page.cpp" line="224"/>
        <source>Fetching the checkpoints failed: %1</source>
        <translation>Das Holen der Checkpoints ist fehlgeschlagen: %1</translation>
    </message>
    <message>
        <location filename="../app/pages/runs_page.cpp" line="298"/>
        <source>step %1 · loss %2 · lr %3 · %4 images/s · %5 samples seen</source>
        <translation>Schritt %1 · Loss %2 · LR %3 · %4 Bilder/s · %5 Beispiele gesehen</translation>
    </message>
    <message>
        <location filename="../app/pages/runs_page.cpp" line="322"/>
        <source>%1 — %2 on %3, %4</source>
        <translation>%1 — %2 auf %3, %4</translation>
    </message>
    <message>
        <location filename="../app/pages/runs_page.cpp" line="330"/>
        <source>Stop every process of %1 on every host?</source>
        <translation>Jeden Prozess von %1 auf jedem Host beenden?</translation>
    </message>
    <message>
        <location filename="../app/pages/runs_page.cpp" line="351"/>
        <source>%1 — %2</source>
        <translation>%1 — %2</translation>
    </message>
    <message>
        <location filename="../app/pages/runs_page.cpp" line="362"/>
        <source>Fetching the checkpoints of %1…</source>
        <translation>Die Checkpoints von %1 werden geholt…</translation>
    </message>
    <message>
        <location filename="../app/pages/runs_page.cpp" line="370"/>
        <source>Fetch the checkpoints into</source>
        <translation>Die Checkpoints holen nach</translation>
    </message>
    <message>
        <location filename="../app/pages/runs_page.cpp" line="377"/>
        <source>Exporting %1…</source>
        <translation>%1 wird exportiert…</translation>
    </message>
    <message>
        <location filename="../app/pages/runs_page.cpp" line="389"/>
        <source>Exported to %1: open it on the Generate page.</source>
        <translation>Nach %1 exportiert: auf der Seite Generieren öffnen.</translation>
    </message>
    <message>
        <location filename="../app/pages/runs_page.cpp" line="390"/>
        <source>Export failed: %1</source>
        <translation>Export fehlgeschlagen: %1</translation>
    </message>
    <message>
        <location filename="../app/pages/runs_page.cpp" line="399"/>
        <source>Choose a checkpoint (checkpoints/step-N)</source>
        <translation>Einen Checkpoint wählen (checkpoints/step-N)</translation>
    </message>
    <message>
        <location filename="../app/pages/runs_page.cpp" line="401"/>
        <source>Export into (an empty or new folder)</source>
        <translation>Exportieren nach (ein leerer oder neuer Ordner)</translation>
    </message>
    <message>
        <location filename="../app/pages/runs_page.cpp" line="406"/>
        <source>Diffusers folder with the VAE, text encoder and tokenizer (Cancel: the run config&apos;s)</source>
        <translation>diffusers-Ordner mit VAE, Text-Encoder und Tokenizer (Abbrechen: der aus der Lauf-Konfiguration)</translation>
    </message>
</context>
<context>
    <name>ShardUpload</name>
    <message>
        <location filename="../app/widgets/shard_upload.cpp" line="25"/>
        <source>[user@]host[:port] or an alias from ~/.ssh/config</source>
        <translation>[benutzer@]host[:port] oder ein Alias aus ~/.ssh/config</translation>
    </message>
    <message>
        <location filename="../app/widgets/shard_upload.cpp" line="28"/>
        <source>the folder there (absolute, or relative to the login folder)</source>
        <translation>der Ordner dort (absolut oder relativ zum Login-Ordner)</translation>
    </message>
    <message>
        <location filename="../app/widgets/shard_upload.cpp" line="29"/>
        <source>Upload to &amp;host:</source>
        <translation>Hochladen auf &amp;Host:</translation>
    </message>
    <message>
        <location filename="../app/widgets/shard_upload.cpp" line="30"/>
        <source>Folder &amp;there:</source>
        <translation>Ordner &amp;dort:</translation>
    </message>
    <message>
        <location filename="../app/widgets/shard_upload.cpp" line="33"/>
        <source>Upload shards</source>
        <translation>Shards hochladen</translation>
    </message>
    <message>
        <location filename="../app/widgets/shard_upload.cpp" line="35"/>
        <source>Send the shard folder to the host; files already there unchanged are skipped.</source>
        <translation>Den Shard-Ordner an den Host senden; dort bereits unverändert vorhandene Dateien werden übersprungen.</translation>
    </message>
    <message>
        <location filename="../app/widgets/shard_upload.cpp" line="36"/>
        <source>Cancel upload</source>
        <translation>Hochladen abbrechen</translation>
    </message>
    <message>
        <location filename="../app/widgets/shard_upload.cpp" line="79"/>
        <source>Write the shards first: %1 holds no index.json.</source>
        <translation>Schreiben Sie zuerst die Shards: %1 enthält keine index.json.</translation>
    </message>
    <message>
        <location filename="../app/widgets/shard_upload.cpp" line="83"/>
        <source>Name the host and the folder there.</source>
        <translation>Geben Sie den Host und den Ordner dort an.</translation>
    </message>
    <message>
        <location filename="../app/widgets/shard_upload.cpp" line="93"/>
        <source>Connecting to %1…</source>
        <translation>Verbinde mit %1…</translation>
    </message>
    <message>
        <location filename="../app/widgets/shard_upload.cpp" line="112"/>
        <source>Uploading %1 (file %2 of %3)…</source>
        <translation>%1 wird hochgeladen (Datei %2 von %3)…</translation>
    </message>
    <message>
        <location filename="../app/widgets/shard_upload.cpp" line="116"/>
        <source>Upload cancelled: the files sent so far stay there; uploading again sends the rest.</source>
        <translation>Hochladen abgebrochen: Die bisher gesendeten Dateien bleiben dort; erneutes Hochladen sendet den Rest.</translation>
    </message>
    <message>
        <location filename="../app/widgets/shard_upload.cpp" line="119"/>
        <source>Uploaded to %1:%2 — %3 file(s) sent (%4), %5 already there.</source>
        <translation>Hochgeladen nach %1:%2 — %3 Datei(en) gesendet (%4), %5 bereits vorhanden.</translation>
    </message>
</context>
<context>
    <name>SshPrompts</name>
    <message>
        <location filename="../app/dialogs/ssh_prompts.cpp" line="21"/>
        <source>Unknown host key</source>
        <translation>Unbekannter Host-Schlüssel</translation>
    </message>
    <message>
        <location filename="../app/dialogs/ssh_prompts.cpp" line="22"/>
        <source>The host presents a key that is not in %1:

%2 %3

Trust it and add it to known_hosts? Compare the fingerprint with the one your administrator gave you.</source>
        <translation>Der Host zeigt einen Schlüssel, der nicht in %1 steht:

%2 %3

Ihm vertrauen und ihn zu known_hosts hinzufügen? Vergleichen Sie den Fingerabdruck mit dem, den Ihnen Ihr Administrator gegeben hat.</translation>
    </message>
    <message>
        <location filename="../app/dialogs/ssh_prompts.cpp" line="33"/>
        <source>Key passphrase</source>
        <translation>Passphrase des Schlüssels</translation>
    </message>
</context>
<context>
    <name>TrainPage</name>
    <message>
        <location filename="../app/pages/train_page.cpp" line="56"/>
        <source> steps</source>
        <translation> Schritte</translation>
    </message>
    <message>
        <location filename="../app/pages/train_page.cpp" line="89"/>
        <source>Cost and time</source>
        <translation>Kosten und Zeit</translation>
    </message>
    <message>
        <location filename="../app/pages/train_page.cpp" line="94"/>
        <source>Engine check</source>
        <translation>Prüfung durch die Engine</translation>
    </message>
    <message>
        <location filename="../app/pages/train_page.cpp" line="96"/>
        <location filename="../app/pages/train_page.cpp" line="434"/>
        <source>Check asks the engine whether it can train this config (Ctrl+K).</source>
        <translation>„Prüfen“ fragt die Engine, ob sie diese Konfiguration trainieren kann (Strg+K).</translation>
    </message>
    <message>
        <location filename="../app/pages/train_page.cpp" line="102"/>
        <source>Check</source>
        <translation>Prüfen</translation>
    </message>
    <message>
        <location filename="../app/pages/train_page.cpp" line="104"/>
        <source>Have the engine read the config and build its UNet (Ctrl+K).</source>
        <translation>Die Engine die Konfiguration lesen und ihr UNet bauen lassen (Strg+K).</translation>
    </message>
    <message>
        <location filename="../app/pages/train_page.cpp" line="105"/>
        <source>Save</source>
        <translation>Speichern</translation>
    </message>
    <message>
        <location filename="../app/pages/train_page.cpp" line="107"/>
        <source>Save the config (Ctrl+S; Save as: Ctrl+Shift+S).</source>
        <translation>Die Konfiguration speichern (Strg+S; Speichern unter: Strg+Umschalt+S).</translation>
    </message>
    <message>
        <location filename="../app/pages/train_page.cpp" line="108"/>
        <source>Launch…</source>
        <translation>Starten…</translation>
    </message>
    <message>
        <location filename="../app/pages/train_page.cpp" line="110"/>
        <source>Save and launch the run here, on SSH hosts or through Slurm (Ctrl+Return).</source>
        <translation>Speichern und den Lauf hier, auf SSH-Hosts oder über Slurm starten (Strg+Eingabe).</translation>
    </message>
    <message>
        <location filename="../app/pages/train_page.cpp" line="170"/>
        <source>Configuration</source>
        <translation>Konfiguration</translation>
    </message>
    <message>
        <location filename="../app/pages/train_page.cpp" line="175"/>
        <source>Choose a preset…</source>
        <translation>Eine Vorlage wählen…</translation>
    </message>
    <message>
        <location filename="../app/pages/train_page.cpp" line="178"/>
        <source>Start from a preset: SD2-base stage 1 (256 px), stage 2 (512 px), or a tiny demo that trains in seconds on a CPU.</source>
        <translation>Von einer Vorlage ausgehen: SD2-base Stufe 1 (256 px), Stufe 2 (512 px) oder eine winzige Demo, die in Sekunden auf einer CPU trainiert.</translation>
    </message>
    <message>
        <location filename="../app/pages/train_page.cpp" line="180"/>
        <source>Open…</source>
        <translation>Öffnen…</translation>
    </message>
    <message>
        <location filename="../app/pages/train_page.cpp" line="181"/>
        <source>Open a run config (YAML) (Ctrl+O).</source>
        <translation>Eine Laufkonfiguration (YAML) öffnen (Strg+O).</translation>
    </message>
    <message>
        <location filename="../app/pages/train_page.cpp" line="182"/>
        <source>Save as…</source>
        <translation>Speichern unter…</translation>
    </message>
    <message>
        <location filename="../app/pages/train_page.cpp" line="198"/>
        <source>Run</source>
        <translation>Lauf</translation>
    </message>
    <message>
        <location filename="../app/pages/train_page.cpp" line="202"/>
        <source>The run&apos;s name: shown on the Runs page and in the run&apos;s files.</source>
        <translation>Der Name des Laufs: angezeigt auf der Seite „Läufe“ und in den Dateien des Laufs.</translation>
    </message>
    <message>
        <location filename="../app/pages/train_page.cpp" line="211"/>
        <source> px</source>
        <translation> px</translation>
    </message>
    <message>
        <location filename="../app/pages/train_page.cpp" line="216"/>
        <source>Global batch: images per optimizer step over all GPUs (microbatch × accumulation × GPUs).</source>
        <translation>Globale Batchgröße: Bilder pro Optimiererschritt über alle GPUs (Mikrobatch × Akkumulation × GPUs).</translation>
    </message>
    <message>
        <location filename="../app/pages/train_page.cpp" line="220"/>
        <source>Images per GPU per forward/backward pass; lower it when memory runs out.</source>
        <translation>Bilder pro GPU und Vorwärts-/Rückwärtsdurchlauf; verringern, wenn der Speicher nicht reicht.</translation>
    </message>
    <message>
        <location filename="../app/pages/train_page.cpp" line="223"/>
        <source>Optimizer steps (max_duration); the reference: 550,000 at 256 px, then 850,000 at 512 px.</source>
        <translation>Optimiererschritte (max_duration); die Referenz: 550.000 bei 256 px, dann 850.000 bei 512 px.</translation>
    </message>
    <message>
        <location filename="../app/pages/train_page.cpp" line="224"/>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../app/pages/train_page.cpp" line="226"/>
        <source>Seed</source>
        <translation>Seed</translation>
    </message>
    <message>
        <location filename="../app/pages/train_page.cpp" line="227"/>
        <source>Image size</source>
        <translation>Bildgröße</translation>
    </message>
    <message>
        <location filename="../app/pages/train_page.cpp" line="229"/>
        <source>Global batch</source>
        <translation>Globale Batchgröße</translation>
    </message>
    <message>
        <location filename="../app/pages/train_page.cpp" line="230"/>
        <source>Microbatch per GPU</source>
        <translation>Mikrobatch pro GPU</translation>
    </message>
    <message>
        <location filename="../app/pages/train_page.cpp" line="232"/>
        <source>Steps</source>
        <translation>Schritte</translation>
    </message>
    <message>
        <location filename="../app/pages/train_page.cpp" line="234"/>
        <source>Optimizer</source>
        <translation>Optimierer</translation>
    </message>
    <message>
        <location filename="../app/pages/train_page.cpp" line="238"/>
        <source>AdamW learning rate, e.g. 1e-4.</source>
        <translation>Lernrate von AdamW, z. B. 1e-4.</translation>
    </message>
    <message>
        <location filename="../app/pages/train_page.cpp" line="246"/>
        <source>Learning rate</source>
        <translation>Lernrate</translation>
    </message>
    <message>
        <location filename="../app/pages/train_page.cpp" line="248"/>
        <source>Weight decay</source>
        <translation>Weight Decay</translation>
    </message>
    <message>
        <location filename="../app/pages/train_page.cpp" line="250"/>
        <source>Schedule</source>
        <translation>Verlauf</translation>
    </message>
    <message>
        <location filename="../app/pages/train_page.cpp" line="251"/>
        <source>Warm-up</source>
        <translation>Aufwärmen</translation>
    </message>
    <message>
        <location filename="../app/pages/train_page.cpp" line="254"/>
        <source>EMA of the weights</source>
        <translation>EMA der Gewichte</translation>
    </message>
    <message>
        <location filename="../app/pages/train_page.cpp" line="261"/>
        <source>The first step that updates the EMA (the reference: 800,000, the last 50k of stage 2).</source>
        <translation>Der erste Schritt, der die EMA aktualisiert (die Referenz: 800.000, die letzten 50k von Stufe 2).</translation>
    </message>
    <message>
        <location filename="../app/pages/train_page.cpp" line="263"/>
        <source>Smoothing</source>
        <translation>Glättung</translation>
    </message>
    <message>
        <location filename="../app/pages/train_page.cpp" line="264"/>
        <source>Start</source>
        <translation>Beginn</translation>
    </message>
    <message>
        <location filename="../app/pages/train_page.cpp" line="267"/>
        <source>Model</source>
        <translation>Modell</translation>
    </message>
    <message>
        <location filename="../app/pages/train_page.cpp" line="271"/>
        <source>amp_bf16 and amp_fp16 need CUDA; fp32 works everywhere.</source>
        <translation>amp_bf16 und amp_fp16 brauchen CUDA; fp32 läuft überall.</translation>
    </message>
    <message>
        <location filename="../app/pages/train_page.cpp" line="278"/>
        <location filename="../app/pages/train_page.cpp" line="304"/>
        <source>Browse…</source>
        <translation>Durchsuchen…</translation>
    </message>
    <message>
        <location filename="../app/pages/train_page.cpp" line="285"/>
        <source>Prediction</source>
        <translation>Vorhersage</translation>
    </message>
    <message>
        <location filename="../app/pages/train_page.cpp" line="286"/>
        <source>Precision</source>
        <translation>Genauigkeit</translation>
    </message>
    <message>
        <location filename="../app/pages/train_page.cpp" line="287"/>
        <source>Device</source>
        <translation>Gerät</translation>
    </message>
    <message>
        <location filename="../app/pages/train_page.cpp" line="288"/>
        <source>Start from</source>
        <translation>Ausgehen von</translation>
    </message>
    <message>
        <location filename="../app/pages/train_page.cpp" line="288"/>
        <source>Nothing: train from scratch</source>
        <translation>Nichts: von Grund auf trainieren</translation>
    </message>
    <message>
        <location filename="../app/pages/train_page.cpp" line="289"/>
        <source>Choose weights to start from</source>
        <translation>Gewichte wählen, von denen ausgegangen wird</translation>
    </message>
    <message>
        <location filename="../app/pages/train_page.cpp" line="290"/>
        <source>VAE and text encoder</source>
        <translation>VAE und Text-Encoder</translation>
    </message>
    <message>
        <location filename="../app/pages/train_page.cpp" line="291"/>
        <source>A diffusers folder (vae/, text_encoder/, tokenizer/)</source>
        <translation>Ein diffusers-Ordner (vae/, text_encoder/, tokenizer/)</translation>
    </message>
    <message>
        <location filename="../app/pages/train_page.cpp" line="292"/>
        <source>Choose the diffusers folder with the VAE and text encoder</source>
        <translation>Den diffusers-Ordner mit VAE und Text-Encoder wählen</translation>
    </message>
    <message>
        <location filename="../app/pages/train_page.cpp" line="294"/>
        <source>Data</source>
        <translation>Daten</translation>
    </message>
    <message>
        <location filename="../app/pages/train_page.cpp" line="298"/>
        <source>mds_latents: latent shards (MDS); latents_safetensors: one .safetensors file; synthetic_latents: random data for smoke tests.</source>
        <translation>mds_latents: Latent-Shards (MDS); latents_safetensors: eine .safetensors-Datei; synthetic_latents: Zufallsdaten für Rauchtests.</translation>
    </message>
    <message>
        <location filename="../app/pages/train_page.cpp" line="303"/>
        <source>The shards folder or file, as the training machines see it</source>
        <translation>Der Shard-Ordner oder die Datei, wie die trainierenden Rechner sie sehen</translation>
    </message>
    <message>
        <location filename="../app/pages/train_page.cpp" line="305"/>
        <source>Choose the dataset</source>
        <translation>Den Datensatz wählen</translation>
    </message>
    <message>
        <location filename="../app/pages/train_page.cpp" line="309"/>
        <source>Kind</source>
        <translation>Art</translation>
    </message>
    <message>
        <location filename="../app/pages/train_page.cpp" line="310"/>
        <source>Path</source>
        <translation>Pfad</translation>
    </message>
    <message>
        <location filename="../app/pages/train_page.cpp" line="313"/>
        <source>Checkpoints</source>
        <translation>Checkpoints</translation>
    </message>
    <message>
        <location filename="../app/pages/train_page.cpp" line="316"/>
        <source>Only at the end</source>
        <translation>Nur am Ende</translation>
    </message>
    <message>
        <location filename="../app/pages/train_page.cpp" line="320"/>
        <source>Save every</source>
        <translation>Speichern alle</translation>
    </message>
    <message>
        <location filename="../app/pages/train_page.cpp" line="321"/>
        <source>Keep the last</source>
        <translation>Die letzten behalten</translation>
    </message>
    <message>
        <location filename="../app/pages/train_page.cpp" line="444"/>
        <source>Cannot read the preset %1: %2</source>
        <translation>Die Vorlage %1 kann nicht gelesen werden: %2</translation>
    </message>
    <message>
        <location filename="../app/pages/train_page.cpp" line="461"/>
        <source>Cannot read %1: %2</source>
        <translation>%1 kann nicht gelesen werden: %2</translation>
    </message>
    <message>
        <location filename="../app/pages/train_page.cpp" line="488"/>
        <source>Not saved: correct the fields marked in red.</source>
        <translation>Nicht gespeichert: die rot markierten Felder korrigieren.</translation>
    </message>
    <message>
        <location filename="../app/pages/train_page.cpp" line="494"/>
        <source>Cannot write %1: %2</source>
        <translation>%1 kann nicht geschrieben werden: %2</translation>
    </message>
    <message>
        <location filename="../app/pages/train_page.cpp" line="517"/>
        <source>Save the run config</source>
        <translation>Die Laufkonfiguration speichern</translation>
    </message>
    <message>
        <location filename="../app/pages/train_page.cpp" line="517"/>
        <location filename="../app/pages/train_page.cpp" line="525"/>
        <source>Run configs (*.yaml *.yml)</source>
        <translation>Laufkonfigurationen (*.yaml *.yml)</translation>
    </message>
    <message>
        <location filename="../app/pages/train_page.cpp" line="525"/>
        <source>Open a run config</source>
        <translation>Eine Laufkonfiguration öffnen</translation>
    </message>
    <message>
        <location filename="../app/pages/train_page.cpp" line="533"/>
        <source>Discard the changes?</source>
        <translation>Änderungen verwerfen?</translation>
    </message>
    <message>
        <location filename="../app/pages/train_page.cpp" line="534"/>
        <source>The config has unsaved changes. Load the preset %1 instead?</source>
        <translation>Die Konfiguration hat ungespeicherte Änderungen. Stattdessen die Vorlage %1 laden?</translation>
    </message>
    <message>
        <location filename="../app/pages/train_page.cpp" line="557"/>
        <source>Preset %1, not saved yet</source>
        <translation>Vorlage %1, noch nicht gespeichert</translation>
    </message>
    <message>
        <location filename="../app/pages/train_page.cpp" line="559"/>
        <source>%1 (modified)</source>
        <translation>%1 (geändert)</translation>
    </message>
    <message>
        <location filename="../app/pages/train_page.cpp" line="577"/>
        <source>Give the run a name.</source>
        <translation>Dem Lauf einen Namen geben.</translation>
    </message>
    <message>
        <location filename="../app/pages/train_page.cpp" line="579"/>
        <source>The image size must be a multiple of 8 (the VAE&apos;s factor): try %1.</source>
        <translation>Die Bildgröße muss ein Vielfaches von 8 sein (der Faktor des VAE): %1 versuchen.</translation>
    </message>
    <message>
        <location filename="../app/pages/train_page.cpp" line="583"/>
        <source>The global batch (%1) must be a multiple of the microbatch (%2): the difference is made up by accumulation and GPUs.</source>
        <translation>Die globale Batchgröße (%1) muss ein Vielfaches des Mikrobatches (%2) sein: den Rest machen Akkumulation und GPUs aus.</translation>
    </message>
    <message>
        <location filename="../app/pages/train_page.cpp" line="589"/>
        <source>Enter the learning rate as a number, e.g. 1e-4.</source>
        <translation>Die Lernrate als Zahl eingeben, z. B. 1e-4.</translation>
    </message>
    <message>
        <location filename="../app/pages/train_page.cpp" line="590"/>
        <source>The learning rate must be above 0 and at most 10.</source>
        <translation>Die Lernrate muss über 0 und höchstens 10 sein.</translation>
    </message>
    <message>
        <location filename="../app/pages/train_page.cpp" line="594"/>
        <source>The weight decay must be a number from 0 to 10, e.g. 0.01.</source>
        <translation>Der Weight Decay muss eine Zahl von 0 bis 10 sein, z. B. 0.01.</translation>
    </message>
    <message>
        <location filename="../app/pages/train_page.cpp" line="597"/>
        <source>The warm-up (%1 steps) is longer than the run (%2 steps).</source>
        <translation>Das Aufwärmen (%1 Schritte) ist länger als der Lauf (%2 Schritte).</translation>
    </message>
    <message>
        <location filename="../app/pages/train_page.cpp" line="603"/>
        <source>The smoothing must be a number from 0 to 1, e.g. 0.9999.</source>
        <translation>Die Glättung muss eine Zahl von 0 bis 1 sein, z. B. 0.9999.</translation>
    </message>
    <message>
        <location filename="../app/pages/train_page.cpp" line="605"/>
        <source>The EMA starts at step %1, after the run&apos;s last step (%2): it would never be updated.</source>
        <translation>Die EMA beginnt bei Schritt %1, nach dem letzten Schritt des Laufs (%2): sie würde nie aktualisiert.</translation>
    </message>
    <message>
        <location filename="../app/pages/train_page.cpp" line="612"/>
        <source>Enter where the data is (as the training machines see it), or choose synthetic_latents.</source>
        <translation>Eingeben, wo die Daten liegen (wie die trainierenden Rechner sie sehen), oder synthetic_latents wählen.</translation>
    </message>
    <message>
        <location filename="../app/pages/train_page.cpp" line="630"/>
        <source>Correct the fields marked in red first.</source>
        <translation>Zuerst die rot markierten Felder korrigieren.</translation>
    </message>
    <message>
        <location filename="../app/pages/train_page.cpp" line="637"/>
        <source>Cannot write a temporary copy of the config: %1</source>
        <translation>Eine temporäre Kopie der Konfiguration kann nicht geschrieben werden: %1</translation>
    </message>
    <message>
        <location filename="../app/pages/train_page.cpp" line="652"/>
        <source>The engine accepts the config: %1.</source>
        <translation>Die Engine akzeptiert die Konfiguration: %1.</translation>
    </message>
    <message>
        <location filename="../app/pages/train_page.cpp" line="654"/>
        <source>The engine refuses the config: %1</source>
        <translation>Die Engine lehnt die Konfiguration ab: %1</translation>
    </message>
    <message>
        <location filename="../app/pages/train_page.cpp" line="660"/>
        <source>Checking (the engine builds the UNet; a large one takes a few seconds)…</source>
        <translation>Prüfe (die Engine baut das UNet; ein großes dauert einige Sekunden)…</translation>
    </message>
    <message>
        <location filename="../app/pages/train_page.cpp" line="670"/>
        <source>Nothing launched: correct the fields marked in red.</source>
        <translation>Nichts gestartet: die rot markierten Felder korrigieren.</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <location filename="../app/main.cpp" line="37"/>
        <source>Train and run your own image models.</source>
        <translation>Eigene Bildmodelle trainieren und ausführen.</translation>
    </message>
    <message>
        <location filename="../app/main.cpp" line="41"/>
        <source>Show the main window, then quit (for start-up checks).</source>
        <translation>Das Hauptfenster zeigen, dann beenden (für Startprüfungen).</translation>
    </message>
    <message>
        <location filename="../app/main.cpp" line="42"/>
        <source>CPU threads for local generation (default: all cores).</source>
        <translation>CPU-Threads für die lokale Generierung (Standard: alle Kerne).</translation>
    </message>
    <message>
        <location filename="../app/main.cpp" line="45"/>
        <source>With --smoke-test: save a PNG of the main window to FILE before quitting.</source>
        <translation>Mit --smoke-test: vor dem Beenden ein PNG des Hauptfensters in FILE speichern.</translation>
    </message>
    <message>
        <location filename="../app/main.cpp" line="49"/>
        <source>Save a PNG of every page into DIR (datasets.png, train.png, …), then quit.</source>
        <translation>Ein PNG jeder Seite in DIR speichern (datasets.png, train.png, …), dann beenden.</translation>
    </message>
    <message>
        <location filename="../app/main.cpp" line="52"/>
        <source>Interface language for this start: en, de or zh_CN (default: the setting).</source>
        <translation>Sprache der Oberfläche für diesen Start: en, de oder zh_CN (Standard: die Einstellung).</translation>
    </message>
</context>
</TS>
