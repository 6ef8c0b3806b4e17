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
    <name>MainWindow</name>
    <message>
        <location filename="../app/main_window.cpp" line="29"/>
        <source>Tessera Studio</source>
        <translation>Tessera Studio</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="47"/>
        <location filename="../app/main_window.cpp" line="52"/>
        <source>Datasets</source>
        <translation>Datensätze</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="48"/>
        <source>Import image folders or CSV/JSONL manifests into a catalog, review thumbnails and captions, filter by size, aspect, score, language and near-duplicates, and write MDS shards for training.</source>
        <translation>Bildordner oder CSV/JSONL-Manifeste in einen Katalog importieren, Vorschaubilder und Bildunterschriften prüfen, nach Größe, Seitenverhältnis, Bewertung, Sprache und Beinahe-Duplikaten filtern und MDS-Shards für das Training schreiben.</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="53"/>
        <location filename="../app/main_window.cpp" line="57"/>
        <source>Train</source>
        <translation>Training</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="54"/>
        <source>Edit a run configuration from the SD2-base presets, estimate its cost and time, and launch it locally, on SSH hosts or through Slurm.</source>
        <translation>Eine Laufkonfiguration aus den SD2-base-Vorlagen bearbeiten, Kosten und Dauer abschätzen und sie lokal, auf SSH-Hosts oder über Slurm starten.</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="58"/>
        <location filename="../app/main_window.cpp" line="63"/>
        <source>Runs</source>
        <translation>Läufe</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="59"/>
        <source>Follow runs on the cluster: live loss, learning rate and throughput curves, logs, samples as they arrive, cancel, reattach and fetch checkpoints.</source>
        <translation>Läufe auf dem Cluster verfolgen: Verlust-, Lernraten- und Durchsatzkurven in Echtzeit, Protokolle, Beispielbilder sobald sie eintreffen, abbrechen, wieder verbinden und Checkpoints abholen.</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="64"/>
        <location filename="../app/main_window.cpp" line="69"/>
        <source>Generate</source>
        <translation>Generieren</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="65"/>
        <source>Generate images from a checkpoint or diffusers folder on this machine: prompt, negative prompt, sampler, steps, guidance, seed, size, img2img, and a gallery that keeps every image&apos;s parameters.</source>
        <translation>Bilder aus einem Checkpoint oder diffusers-Ordner auf diesem Rechner erzeugen: Prompt, negativer Prompt, Sampler, Schritte, Guidance, Seed, Größe, img2img und eine Galerie, die die Parameter jedes Bildes festhält.</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="70"/>
        <location filename="../app/main_window.cpp" line="74"/>
        <source>Evaluate</source>
        <translation>Bewerten</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="71"/>
        <source>Compare two checkpoints blind on a prompt set such as DrawBench and record which images people prefer.</source>
        <translation>Zwei Checkpoints blind auf einem Prompt-Satz wie DrawBench vergleichen und festhalten, welche Bilder bevorzugt werden.</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="86"/>
        <source>LibTorch %1 · %2 · %3 CPU threads</source>
        <translation>LibTorch %1 · %2 · %3 CPU-Threads</translation>
    </message>
    <message numerus="yes">
        <location filename="../app/main_window.cpp" line="88"/>
        <source>%n CUDA device(s)</source>
        <translation>
            <numerusform>%n CUDA-Gerät</numerusform>
            <numerusform>%n CUDA-Geräte</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="88"/>
        <source>CPU only</source>
        <translation>nur CPU</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="107"/>
        <source>%1 (Ctrl+%2)</source>
        <translation>%1 (Strg+%2)</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="111"/>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="112"/>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="116"/>
        <source>&amp;View</source>
        <translation>&amp;Ansicht</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="122"/>
        <source>&amp;Help</source>
        <translation>&amp;Hilfe</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="123"/>
        <source>&amp;About Tessera Studio</source>
        <translation>Ü&amp;ber Tessera Studio</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="124"/>
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
</TS>
