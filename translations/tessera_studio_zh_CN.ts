<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>AboutDialog</name>
    <message>
        <location filename="../app/about_dialog.cpp" line="13"/>
        <source>About Tessera Studio</source>
        <translation>关于 Tessera Studio</translation>
    </message>
    <message>
        <location filename="../app/about_dialog.cpp" line="30"/>
        <source>CUDA: %1</source>
        <translation>CUDA：%1</translation>
    </message>
    <message numerus="yes">
        <location filename="../app/about_dialog.cpp" line="30"/>
        <source>%n device(s)</source>
        <translation>
            <numerusform>%n 个设备</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../app/about_dialog.cpp" line="31"/>
        <source>not available</source>
        <translation>不可用</translation>
    </message>
    <message>
        <location filename="../app/about_dialog.cpp" line="32"/>
        <source>CPU threads: %1 of %2</source>
        <translation>CPU 线程：%1 / %2</translation>
    </message>
</context>
<context>
    <name>CaptionEditCommand</name>
    <message>
        <location filename="../app/models/caption_edit_command.h" line="20"/>
        <source>caption of image %1</source>
        <translation>图像 %1 的说明文字</translation>
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
%2 × %3 像素
%4</translation>
    </message>
    <message>
        <location filename="../app/models/catalog_model.cpp" line="140"/>
        <source>
dropped by %1: %2</source>
        <translation>
被 %1 剔除：%2</translation>
    </message>
    <message>
        <location filename="../app/models/catalog_model.cpp" line="159"/>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
</context>
<context>
    <name>CostEstimator</name>
    <message>
        <location filename="../app/widgets/cost_estimator.cpp" line="42"/>
        <source>GPUs the run uses in all (nodes × GPUs per node).</source>
        <translation>本次运行使用的 GPU 总数（节点数 × 每节点 GPU 数）。</translation>
    </message>
    <message>
        <location filename="../app/widgets/cost_estimator.cpp" line="49"/>
        <source>What one GPU costs per hour (the reference run: $2 per A100-hour).</source>
        <translation>一块 GPU 每小时的费用（参考运行：每 A100 小时 2 美元）。</translation>
    </message>
    <message>
        <location filename="../app/widgets/cost_estimator.cpp" line="53"/>
        <source>Reference A100</source>
        <translation>参考 A100</translation>
    </message>
    <message>
        <location filename="../app/widgets/cost_estimator.cpp" line="54"/>
        <source>Typed in</source>
        <translation>手动输入</translation>
    </message>
    <message>
        <location filename="../app/widgets/cost_estimator.cpp" line="55"/>
        <source>Measured by a run</source>
        <translation>由运行实测</translation>
    </message>
    <message>
        <location filename="../app/widgets/cost_estimator.cpp" line="56"/>
        <source>Reference: mosaicml/diffusion&apos;s A100 figures (137.5 images/s per GPU at 256 px and 36 at 512 px on 8 GPUs; 90.6 and 35.9 on 128), for the config&apos;s image size and these GPUs.</source>
        <translation>参考：mosaicml/diffusion 的 A100 数据（8 块 GPU 上每块 GPU 在 256 像素时 137.5 张/秒、512 像素时 36 张/秒；128 块时为 90.6 和 35.9），按配置的图像尺寸和这些 GPU 换算。</translation>
    </message>
    <message>
        <location filename="../app/widgets/cost_estimator.cpp" line="62"/>
        <source> images/s per GPU</source>
        <translation> 张/秒/GPU</translation>
    </message>
    <message>
        <location filename="../app/widgets/cost_estimator.cpp" line="63"/>
        <source>From a run…</source>
        <translation>从运行中获取…</translation>
    </message>
    <message>
        <location filename="../app/widgets/cost_estimator.cpp" line="65"/>
        <source>Take the throughput an earlier run on this machine measured (its metrics.jsonl).</source>
        <translation>采用本机上一次运行实测的吞吐量（取自其 metrics.jsonl）。</translation>
    </message>
    <message>
        <location filename="../app/widgets/cost_estimator.cpp" line="74"/>
        <source>Time that is not training steps: evaluation, checkpoints, restarts. The reference run spent about 18 % more than its throughput alone gives.</source>
        <translation>训练步骤之外的时间：评估、检查点、重启。参考运行比仅按吞吐量计算多花了约 18%。</translation>
    </message>
    <message>
        <location filename="../app/widgets/cost_estimator.cpp" line="80"/>
        <source> GPU-hours</source>
        <translation> GPU 小时</translation>
    </message>
    <message>
        <location filename="../app/widgets/cost_estimator.cpp" line="81"/>
        <source>Work billed on top, such as precomputing the latents (the reference: 3,784 A100-hours).</source>
        <translation>额外计费的工作，例如预计算潜变量（参考：3,784 A100 小时）。</translation>
    </message>
    <message>
        <location filename="../app/widgets/cost_estimator.cpp" line="86"/>
        <source>GPUs</source>
        <translation>GPU 数</translation>
    </message>
    <message>
        <location filename="../app/widgets/cost_estimator.cpp" line="87"/>
        <source>Price per GPU-hour</source>
        <translation>每 GPU 小时价格</translation>
    </message>
    <message>
        <location filename="../app/widgets/cost_estimator.cpp" line="88"/>
        <source>Throughput</source>
        <translation>吞吐量</translation>
    </message>
    <message>
        <location filename="../app/widgets/cost_estimator.cpp" line="89"/>
        <source>Overhead</source>
        <translation>额外开销</translation>
    </message>
    <message>
        <location filename="../app/widgets/cost_estimator.cpp" line="90"/>
        <source>Extra GPU-hours</source>
        <translation>额外 GPU 小时</translation>
    </message>
    <message>
        <location filename="../app/widgets/cost_estimator.cpp" line="152"/>
        <source>Enter a throughput (images/s per GPU) to estimate time and cost.</source>
        <translation>输入吞吐量（每 GPU 每秒图像数）以估算时间和费用。</translation>
    </message>
    <message>
        <location filename="../app/widgets/cost_estimator.cpp" line="153"/>
        <source>Fill in steps and global batch to estimate time and cost.</source>
        <translation>填写步数和全局批大小以估算时间和费用。</translation>
    </message>
    <message numerus="yes">
        <location filename="../app/widgets/cost_estimator.cpp" line="155"/>
        <source>%1 images · %2 h (%3 days) on %n GPU(s) · %4 GPU-hours · %5</source>
        <translation>
            <numerusform>%1 张图像 · %2 小时（%3 天），使用 %n 块 GPU · %4 GPU 小时 · %5</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../app/widgets/cost_estimator.cpp" line="158"/>
        <source>Throughput measured by %1.</source>
        <translation>吞吐量由 %1 实测。</translation>
    </message>
    <message>
        <location filename="../app/widgets/cost_estimator.cpp" line="186"/>
        <source>%1 has no measured throughput yet (no images_per_s in %2).</source>
        <translation>%1 尚无实测吞吐量（%2 中没有 images_per_s）。</translation>
    </message>
    <message numerus="yes">
        <location filename="../app/widgets/cost_estimator.cpp" line="210"/>
        <source>%1 (%n rank(s))</source>
        <translation>
            <numerusform>%1（%n 个进程）</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../app/widgets/cost_estimator.cpp" line="213"/>
        <source>No local run with metrics yet</source>
        <translation>尚无带指标的本地运行</translation>
    </message>
</context>
<context>
    <name>DatasetsPage</name>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="87"/>
        <source>Files the last import could not use, and why</source>
        <translation>上次导入无法使用的文件及原因</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="96"/>
        <source>Caption</source>
        <translation>说明文字</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="97"/>
        <source>Filters</source>
        <translation>筛选</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="98"/>
        <source>Statistics</source>
        <translation>统计</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="101"/>
        <source>Duplicates</source>
        <translation>重复项</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="104"/>
        <source>Shards</source>
        <translation>分片</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="116"/>
        <source>Cannot read the catalog: %1</source>
        <translation>无法读取目录库：%1</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="138"/>
        <source>A catalog file, e.g. ~/datasets/cats.db (created by the first import)</source>
        <translation>目录库文件，例如 ~/datasets/cats.db（首次导入时创建）</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="139"/>
        <location filename="../app/pages/datasets_page.cpp" line="340"/>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="140"/>
        <source>Open</source>
        <translation>打开</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="145"/>
        <source>Catalog:</source>
        <translation>目录库：</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="153"/>
        <source>An image folder (captions from .txt sidecars), or a .csv or .jsonl manifest</source>
        <translation>图像文件夹（说明文字取自 .txt 附属文件），或 .csv / .jsonl 清单</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="154"/>
        <source>Folder…</source>
        <translation>文件夹…</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="155"/>
        <source>Manifest…</source>
        <translation>清单…</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="156"/>
        <source>Import</source>
        <translation>导入</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="158"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="160"/>
        <source>Stop the import; what was imported so far is kept, and importing again resumes.</source>
        <translation>停止导入；已导入的内容会保留，再次导入时从中断处继续。</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="166"/>
        <source>Import:</source>
        <translation>导入：</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="192"/>
        <location filename="../app/pages/datasets_page.cpp" line="696"/>
        <source>Select an image in the grid.</source>
        <translation>在网格中选择一张图像。</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="198"/>
        <source>The caption used for training</source>
        <translation>训练时使用的说明文字</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="204"/>
        <source>Save caption</source>
        <translation>保存说明文字</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="206"/>
        <source>Write the caption to the catalog (the original stays there too)</source>
        <translation>将说明文字写入目录库（原文也会保留）</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="207"/>
        <source>Undo</source>
        <translation>撤销</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="209"/>
        <source>Redo</source>
        <translation>重做</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="225"/>
        <source>Undo %1</source>
        <translation>撤销 %1</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="227"/>
        <source>Redo %1</source>
        <translation>重做 %1</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="239"/>
        <location filename="../app/pages/datasets_page.cpp" line="246"/>
        <location filename="../app/pages/datasets_page.cpp" line="251"/>
        <location filename="../app/pages/datasets_page.cpp" line="260"/>
        <location filename="../app/pages/datasets_page.cpp" line="271"/>
        <source>off</source>
        <translation>关</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="240"/>
        <location filename="../app/pages/datasets_page.cpp" line="351"/>
        <source> px</source>
        <translation> 像素</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="241"/>
        <source>Drop images whose smaller side is below this (the reference recipe: 256, then 512)</source>
        <translation>剔除短边小于此值的图像（参考方案：先 256，后 512）</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="254"/>
        <source>to</source>
        <translation>至</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="261"/>
        <source>Drop images whose manifest&apos;s aesthetic score is below this, or missing</source>
        <translation>剔除清单中美学评分低于此值或缺失的图像</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="262"/>
        <source>English captions only</source>
        <translation>仅限英文说明文字</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="264"/>
        <source>Drop empty captions</source>
        <translation>剔除空说明文字</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="266"/>
        <source>Drop repeated captions</source>
        <translation>剔除重复的说明文字</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="272"/>
        <source>Drop images whose perceptual hash is within this many bits of a larger kept image</source>
        <translation>剔除感知哈希与某张保留的更大图像相差不超过此位数的图像</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="273"/>
        <location filename="../app/pages/datasets_page.cpp" line="364"/>
        <source>Smaller side at least:</source>
        <translation>短边至少：</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="274"/>
        <source>Aspect (width / height):</source>
        <translation>宽高比（宽 / 高）：</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="275"/>
        <source>Aesthetic score at least:</source>
        <translation>美学评分至少：</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="279"/>
        <source>Near-duplicates (pHash distance):</source>
        <translation>近似重复（pHash 距离）：</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="282"/>
        <source>Apply as I change them</source>
        <translation>修改时立即应用</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="285"/>
        <source>Apply filters</source>
        <translation>应用筛选</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="287"/>
        <source>Record which images these settings drop (earlier decisions are replaced)</source>
        <translation>记录这些设置会剔除哪些图像（替换之前的决定）</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="318"/>
        <source>Smaller side (px)</source>
        <translation>短边（像素）</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="320"/>
        <source>Aspect ratio (width / height)</source>
        <translation>宽高比（宽 / 高）</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="339"/>
        <source>An empty or new folder</source>
        <translation>空文件夹或新文件夹</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="344"/>
        <source>Folder for the shards</source>
        <translation>分片的存放文件夹</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="350"/>
        <source>any</source>
        <translation>任意</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="356"/>
        <source>keep the original files</source>
        <translation>保留原始文件</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="357"/>
        <source> px square</source>
        <translation> 像素正方形</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="360"/>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="361"/>
        <source>zstd</source>
        <translation>zstd</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="362"/>
        <source>zstd, level 7</source>
        <translation>zstd，级别 7</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="363"/>
        <source>Output folder:</source>
        <translation>输出文件夹：</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="365"/>
        <source>Centre-crop and resize to:</source>
        <translation>居中裁剪并缩放到：</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="366"/>
        <source>Compression:</source>
        <translation>压缩：</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="368"/>
        <source>Write shards</source>
        <translation>写入分片</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="370"/>
        <source>Write the kept images as an MDS shard set (mosaicml-streaming format)</source>
        <translation>将保留的图像写成 MDS 分片集（mosaicml-streaming 格式）</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="377"/>
        <source>Upload to a host</source>
        <translation>上传到主机</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="427"/>
        <source>Give a catalog file to open, or a new one to create.</source>
        <translation>指定要打开的目录库文件，或要新建的文件。</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="437"/>
        <source>New catalog: the first import creates %1.</source>
        <translation>新目录库：首次导入时将创建 %1。</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="448"/>
        <source>Reading the catalog…</source>
        <translation>正在读取目录库…</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="455"/>
        <source>Cannot open the catalog: %1</source>
        <translation>无法打开目录库：%1</translation>
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
        <translation>%1 张图像，保留 %2 张，剔除 %3 张；%4 个文件无法导入。
格式：%5</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="477"/>
        <source>, </source>
        <translation>、</translation>
    </message>
    <message numerus="yes">
        <location filename="../app/pages/datasets_page.cpp" line="480"/>
        <source>%1: %n image(s), %2 kept.</source>
        <translation>
            <numerusform>%1：%n 张图像，保留 %2 张。</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="497"/>
        <source>Choose a folder or a manifest to import.</source>
        <translation>选择要导入的文件夹或清单。</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="498"/>
        <source>%1 does not exist.</source>
        <translation>%1 不存在。</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="511"/>
        <source>Importing %1…</source>
        <translation>正在导入 %1…</translation>
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
        <translation>新增 %1，重新读取 %2，未变 %3，更新 %4，无法导入 %5。</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="550"/>
        <source>Import cancelled: %1 Import again to resume.</source>
        <translation>导入已取消：%1 再次导入即可继续。</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="552"/>
        <source>Import failed: %1</source>
        <translation>导入失败：%1</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="568"/>
        <source>Cancelling after the current image…</source>
        <translation>将在当前图像完成后取消…</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="595"/>
        <source>Applying the filters…</source>
        <translation>正在应用筛选…</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="600"/>
        <source>Cannot apply the filters: %1</source>
        <translation>无法应用筛选：%1</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="604"/>
        <source>smaller side</source>
        <translation>短边</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="605"/>
        <source>aspect ratio</source>
        <translation>宽高比</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="606"/>
        <source>aesthetic score</source>
        <translation>美学评分</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="607"/>
        <source>not English</source>
        <translation>非英文</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="608"/>
        <source>empty caption</source>
        <translation>空说明文字</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="609"/>
        <source>repeated caption</source>
        <translation>重复说明文字</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="610"/>
        <source>near-duplicate</source>
        <translation>近似重复</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="611"/>
        <source>a reviewer&apos;s verdict</source>
        <translation>审核人的判定</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="613"/>
        <source>%1 of %2 images kept.</source>
        <translation>保留了 %2 张图像中的 %1 张。</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="616"/>
        <source>%1: %2 dropped</source>
        <translation>%1：剔除 %2 张</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="629"/>
        <source>Choose a folder for the shards.</source>
        <translation>选择分片的存放文件夹。</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="643"/>
        <source>Writing shards to %1…</source>
        <translation>正在将分片写入 %1…</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="670"/>
        <source>%1 images in %2 shard(s), %3 MiB; %4 skipped.</source>
        <translation>%1 张图像，共 %2 个分片，%3 MiB；跳过 %4 张。</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="677"/>
        <source>Writing the shards was cancelled.</source>
        <translation>写入分片已取消。</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="679"/>
        <source>Cannot write the shards: %1</source>
        <translation>无法写入分片：%1</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="696"/>
        <source>Reading…</source>
        <translation>正在读取…</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="702"/>
        <source>%1
%2 × %3 px, %4, %5 KiB</source>
        <translation>%1
%2 × %3 像素，%4，%5 KiB</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="708"/>
        <source>
Dropped — %1</source>
        <translation>
已剔除 — %1</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="713"/>
        <source>Original: %1</source>
        <translation>原文：%1</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="733"/>
        <source>Cannot save the caption: %1</source>
        <translation>无法保存说明文字：%1</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="741"/>
        <source>Caption of image %1 saved.</source>
        <translation>图像 %1 的说明文字已保存。</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="746"/>
        <source>Open or create a catalog</source>
        <translation>打开或新建目录库</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="747"/>
        <source>Catalogs (*.db *.sqlite);;All files (*)</source>
        <translation>目录库 (*.db *.sqlite);;所有文件 (*)</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="755"/>
        <source>Image folder to import</source>
        <translation>要导入的图像文件夹</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="756"/>
        <source>Manifest to import</source>
        <translation>要导入的清单</translation>
    </message>
    <message>
        <location filename="../app/pages/datasets_page.cpp" line="757"/>
        <source>Manifests (*.csv *.jsonl);;All files (*)</source>
        <translation>清单 (*.csv *.jsonl);;所有文件 (*)</translation>
    </message>
</context>
<context>
    <name>DuplicateReview</name>
    <message>
        <location filename="../app/widgets/duplicate_review.cpp" line="28"/>
        <source>Find dropped duplicates</source>
        <translation>查找被剔除的重复项</translation>
    </message>
    <message>
        <location filename="../app/widgets/duplicate_review.cpp" line="30"/>
        <source>List every image the near-duplicate or repeated-caption filter dropped, with the image it duplicates (run the filters first)</source>
        <translation>列出近似重复或重复说明文字筛选剔除的每张图像，以及它所重复的图像（请先运行筛选）</translation>
    </message>
    <message>
        <location filename="../app/widgets/duplicate_review.cpp" line="52"/>
        <source>Dropped</source>
        <translation>已剔除</translation>
    </message>
    <message>
        <location filename="../app/widgets/duplicate_review.cpp" line="53"/>
        <source>Kept</source>
        <translation>已保留</translation>
    </message>
    <message>
        <location filename="../app/widgets/duplicate_review.cpp" line="59"/>
        <source>Keep both</source>
        <translation>两张都保留</translation>
    </message>
    <message>
        <location filename="../app/widgets/duplicate_review.cpp" line="61"/>
        <source>Not a duplicate: keep the dropped image too (the filters will not drop it again)</source>
        <translation>不是重复项：同样保留被剔除的图像（筛选器不会再次剔除它）</translation>
    </message>
    <message>
        <location filename="../app/widgets/duplicate_review.cpp" line="62"/>
        <source>Keep the dropped one instead</source>
        <translation>改为保留被剔除的那张</translation>
    </message>
    <message>
        <location filename="../app/widgets/duplicate_review.cpp" line="64"/>
        <source>Keep the dropped image and drop the one it duplicates</source>
        <translation>保留被剔除的图像，并剔除它所重复的那张</translation>
    </message>
    <message>
        <location filename="../app/widgets/duplicate_review.cpp" line="140"/>
        <source>Looking for dropped duplicates…</source>
        <translation>正在查找被剔除的重复项…</translation>
    </message>
    <message>
        <location filename="../app/widgets/duplicate_review.cpp" line="153"/>
        <source>%1 ≈ %2 (%3)</source>
        <translation>%1 ≈ %2（%3）</translation>
    </message>
    <message>
        <location filename="../app/widgets/duplicate_review.cpp" line="155"/>
        <source>Cannot read the catalog: %1</source>
        <translation>无法读取目录库：%1</translation>
    </message>
    <message>
        <location filename="../app/widgets/duplicate_review.cpp" line="157"/>
        <source>No image was dropped as a duplicate. Switch on the near-duplicate or repeated-caption filter first.</source>
        <translation>没有图像因重复而被剔除。请先开启近似重复或重复说明文字筛选。</translation>
    </message>
    <message numerus="yes">
        <location filename="../app/widgets/duplicate_review.cpp" line="159"/>
        <source>%n image(s) dropped as duplicates of a kept one.</source>
        <translation>
            <numerusform>%n 张图像作为某张保留图像的重复项被剔除。</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../app/widgets/duplicate_review.cpp" line="187"/>
        <source>Cannot record the review: %1</source>
        <translation>无法记录审核结果：%1</translation>
    </message>
    <message>
        <location filename="../app/widgets/duplicate_review.cpp" line="193"/>
        <source>Every pair is reviewed.</source>
        <translation>所有图像对均已审核。</translation>
    </message>
    <message numerus="yes">
        <location filename="../app/widgets/duplicate_review.cpp" line="194"/>
        <source>%n pair(s) left to review.</source>
        <translation>
            <numerusform>还有 %n 对待审核。</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../app/widgets/duplicate_review.cpp" line="215"/>
        <source>#%1 %2
%3: %4</source>
        <translation>#%1 %2
%3：%4</translation>
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
        <translation>继续</translation>
    </message>
    <message>
        <location filename="../app/pages/evaluate_page.cpp" line="139"/>
        <location filename="../app/pages/evaluate_page.cpp" line="141"/>
        <location filename="../app/pages/evaluate_page.cpp" line="248"/>
        <source>Start</source>
        <translation>开始</translation>
    </message>
    <message>
        <location filename="../app/pages/evaluate_page.cpp" line="153"/>
        <source>Compare two models blind: both generate every prompt of a prompt set with the same seed, you vote on each pair without knowing which model made which image, and the models are revealed with their preference rates at the end.</source>
        <translation>盲测比较两个模型：两者用相同的种子生成提示词集中的每个提示词，你在不知道哪个模型生成了哪张图像的情况下对每一对投票，最后揭晓模型及其偏好率。</translation>
    </message>
    <message>
        <location filename="../app/pages/evaluate_page.cpp" line="166"/>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <location filename="../app/pages/evaluate_page.cpp" line="174"/>
        <location filename="../app/pages/evaluate_page.cpp" line="188"/>
        <source>a diffusers model folder (with model_index.json)</source>
        <translation>diffusers 模型文件夹（含 model_index.json）</translation>
    </message>
    <message>
        <location filename="../app/pages/evaluate_page.cpp" line="180"/>
        <source>Choose a model folder</source>
        <translation>选择模型文件夹</translation>
    </message>
    <message>
        <location filename="../app/pages/evaluate_page.cpp" line="183"/>
        <source>Model &amp;A:</source>
        <translation>模型 &amp;A：</translation>
    </message>
    <message>
        <location filename="../app/pages/evaluate_page.cpp" line="184"/>
        <source>Model &amp;B:</source>
        <translation>模型 &amp;B：</translation>
    </message>
    <message>
        <location filename="../app/pages/evaluate_page.cpp" line="193"/>
        <source>CSV with Prompt and Category columns, e.g. DrawBench</source>
        <translation>含 Prompt 和 Category 列的 CSV，例如 DrawBench</translation>
    </message>
    <message>
        <location filename="../app/pages/evaluate_page.cpp" line="195"/>
        <source>&amp;Prompt set:</source>
        <translation>提示词集(&amp;P)：</translation>
    </message>
    <message>
        <location filename="../app/pages/evaluate_page.cpp" line="196"/>
        <source>Choose a prompt set</source>
        <translation>选择提示词集</translation>
    </message>
    <message>
        <location filename="../app/pages/evaluate_page.cpp" line="197"/>
        <source>CSV files (*.csv);;All files (*)</source>
        <translation>CSV 文件 (*.csv);;所有文件 (*)</translation>
    </message>
    <message>
        <location filename="../app/pages/evaluate_page.cpp" line="206"/>
        <source>where images and votes are kept (an existing evaluation is resumed)</source>
        <translation>存放图像和投票的位置（已有的评估会继续进行）</translation>
    </message>
    <message>
        <location filename="../app/pages/evaluate_page.cpp" line="208"/>
        <source>Evaluation &amp;folder:</source>
        <translation>评估文件夹(&amp;F)：</translation>
    </message>
    <message>
        <location filename="../app/pages/evaluate_page.cpp" line="209"/>
        <source>Choose an evaluation folder</source>
        <translation>选择评估文件夹</translation>
    </message>
    <message>
        <location filename="../app/pages/evaluate_page.cpp" line="216"/>
        <source>&amp;Steps:</source>
        <translation>步数(&amp;S)：</translation>
    </message>
    <message>
        <location filename="../app/pages/evaluate_page.cpp" line="222"/>
        <source>&amp;Guidance:</source>
        <translation>引导系数(&amp;G)：</translation>
    </message>
    <message>
        <location filename="../app/pages/evaluate_page.cpp" line="232"/>
        <source> px</source>
        <translation> 像素</translation>
    </message>
    <message>
        <location filename="../app/pages/evaluate_page.cpp" line="235"/>
        <source>Si&amp;ze (w × h):</source>
        <translation>尺寸（宽 × 高）(&amp;Z)：</translation>
    </message>
    <message>
        <location filename="../app/pages/evaluate_page.cpp" line="240"/>
        <source>Prompt i uses this seed + i, the same for both models.</source>
        <translation>第 i 个提示词使用此种子 + i，两个模型相同。</translation>
    </message>
    <message>
        <location filename="../app/pages/evaluate_page.cpp" line="243"/>
        <source>S&amp;eed:</source>
        <translation>种子(&amp;E)：</translation>
    </message>
    <message>
        <location filename="../app/pages/evaluate_page.cpp" line="251"/>
        <source>Generate the missing images of both models, then vote.</source>
        <translation>生成两个模型缺少的图像，然后投票。</translation>
    </message>
    <message>
        <location filename="../app/pages/evaluate_page.cpp" line="252"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../app/pages/evaluate_page.cpp" line="254"/>
        <source>Stop generating (Esc); images already made are kept and Resume goes on from there.</source>
        <translation>停止生成（Esc）；已生成的图像会保留，“继续”将从那里接着进行。</translation>
    </message>
    <message>
        <location filename="../app/pages/evaluate_page.cpp" line="262"/>
        <source>%v of %m images</source>
        <translation>%v / %m 张图像</translation>
    </message>
    <message>
        <location filename="../app/pages/evaluate_page.cpp" line="187"/>
        <source>a diffusers model folder on the host</source>
        <translation>主机上的 diffusers 模型文件夹</translation>
    </message>
    <message>
        <location filename="../app/pages/evaluate_page.cpp" line="300"/>
        <source>Left</source>
        <translation>左</translation>
    </message>
    <message>
        <location filename="../app/pages/evaluate_page.cpp" line="301"/>
        <source>Right</source>
        <translation>右</translation>
    </message>
    <message>
        <location filename="../app/pages/evaluate_page.cpp" line="309"/>
        <source>Left is better</source>
        <translation>左边更好</translation>
    </message>
    <message>
        <location filename="../app/pages/evaluate_page.cpp" line="309"/>
        <source>Right is better</source>
        <translation>右边更好</translation>
    </message>
    <message>
        <location filename="../app/pages/evaluate_page.cpp" line="309"/>
        <source>Tie</source>
        <translation>平局</translation>
    </message>
    <message>
        <location filename="../app/pages/evaluate_page.cpp" line="319"/>
        <source>%1 (key %2)</source>
        <translation>%1（按键 %2）</translation>
    </message>
    <message>
        <location filename="../app/pages/evaluate_page.cpp" line="326"/>
        <source>Image quality: which image looks better?</source>
        <translation>图像质量：哪张图像看起来更好？</translation>
    </message>
    <message>
        <location filename="../app/pages/evaluate_page.cpp" line="327"/>
        <source>Prompt alignment: which image matches the prompt better?</source>
        <translation>提示词契合度：哪张图像更符合提示词？</translation>
    </message>
    <message>
        <location filename="../app/pages/evaluate_page.cpp" line="332"/>
        <source>← Previous</source>
        <translation>← 上一对</translation>
    </message>
    <message>
        <location filename="../app/pages/evaluate_page.cpp" line="334"/>
        <source>Back to the previous pair to change a vote (Left arrow).</source>
        <translation>回到上一对以修改投票（左方向键）。</translation>
    </message>
    <message>
        <location filename="../app/pages/evaluate_page.cpp" line="336"/>
        <source>Next →</source>
        <translation>下一对 →</translation>
    </message>
    <message>
        <location filename="../app/pages/evaluate_page.cpp" line="338"/>
        <source>The next pair (Right arrow). A pair is done once both questions have a vote.</source>
        <translation>下一对（右方向键）。两个问题都投票后，这一对即完成。</translation>
    </message>
    <message>
        <location filename="../app/pages/evaluate_page.cpp" line="342"/>
        <source>Which model made which image stays hidden until every pair has its votes. Votes are saved as you cast them.</source>
        <translation>在每一对都投票之前，哪个模型生成了哪张图像将保持隐藏。投票会在投出时立即保存。</translation>
    </message>
    <message>
        <location filename="../app/pages/evaluate_page.cpp" line="362"/>
        <source>Preference rate = (wins + ties / 2) / votes: a tie counts as half a win for each model. Error bars: 95% Wilson score interval. The dashed line is 50% (no preference).</source>
        <translation>偏好率 =（胜 + 平 / 2）/ 票数：平局对每个模型各算半次胜利。误差线：95% Wilson 得分区间。虚线为 50%（无偏好）。</translation>
    </message>
    <message>
        <location filename="../app/pages/evaluate_page.cpp" line="380"/>
        <source>Criterion</source>
        <translation>评判标准</translation>
    </message>
    <message>
        <location filename="../app/pages/evaluate_page.cpp" line="380"/>
        <source>Category</source>
        <translation>类别</translation>
    </message>
    <message>
        <location filename="../app/pages/evaluate_page.cpp" line="380"/>
        <source>Votes</source>
        <translation>票数</translation>
    </message>
    <message>
        <location filename="../app/pages/evaluate_page.cpp" line="380"/>
        <source>A wins / ties / B wins</source>
        <translation>A 胜 / 平 / B 胜</translation>
    </message>
    <message>
        <location filename="../app/pages/evaluate_page.cpp" line="381"/>
        <source>Model A</source>
        <translation>模型 A</translation>
    </message>
    <message>
        <location filename="../app/pages/evaluate_page.cpp" line="381"/>
        <source>Model B</source>
        <translation>模型 B</translation>
    </message>
    <message>
        <location filename="../app/pages/evaluate_page.cpp" line="381"/>
        <source>95% CI (A)</source>
        <translation>95% 置信区间（A）</translation>
    </message>
    <message>
        <location filename="../app/pages/evaluate_page.cpp" line="386"/>
        <source>Export CSV…</source>
        <translation>导出 CSV…</translation>
    </message>
    <message>
        <location filename="../app/pages/evaluate_page.cpp" line="388"/>
        <source>Write votes.csv (every vote) and summary.csv (rates and intervals) into a folder.</source>
        <translation>将 votes.csv（每一票）和 summary.csv（比率和区间）写入一个文件夹。</translation>
    </message>
    <message>
        <location filename="../app/pages/evaluate_page.cpp" line="390"/>
        <source>Export into folder</source>
        <translation>导出到文件夹</translation>
    </message>
    <message>
        <location filename="../app/pages/evaluate_page.cpp" line="393"/>
        <source>New evaluation</source>
        <translation>新建评估</translation>
    </message>
    <message>
        <location filename="../app/pages/evaluate_page.cpp" line="422"/>
        <source>1 prompt</source>
        <translation>1 个提示词</translation>
    </message>
    <message>
        <location filename="../app/pages/evaluate_page.cpp" line="422"/>
        <source>%1 prompts</source>
        <translation>%1 个提示词</translation>
    </message>
    <message>
        <location filename="../app/pages/evaluate_page.cpp" line="423"/>
        <source>1 category</source>
        <translation>1 个类别</translation>
    </message>
    <message>
        <location filename="../app/pages/evaluate_page.cpp" line="423"/>
        <source>%1 categories</source>
        <translation>%1 个类别</translation>
    </message>
    <message>
        <location filename="../app/pages/evaluate_page.cpp" line="433"/>
        <source>Choose a model folder.</source>
        <translation>选择模型文件夹。</translation>
    </message>
    <message>
        <location filename="../app/pages/evaluate_page.cpp" line="435"/>
        <source>%1 is not a folder.</source>
        <translation>%1 不是文件夹。</translation>
    </message>
    <message>
        <location filename="../app/pages/evaluate_page.cpp" line="437"/>
        <source>%1 has no model_index.json: choose a diffusers model folder.</source>
        <translation>%1 中没有 model_index.json：请选择 diffusers 模型文件夹。</translation>
    </message>
    <message>
        <location filename="../app/pages/evaluate_page.cpp" line="442"/>
        <source>Choose a CSV file with Prompt and Category columns.</source>
        <translation>选择含 Prompt 和 Category 列的 CSV 文件。</translation>
    </message>
    <message>
        <location filename="../app/pages/evaluate_page.cpp" line="451"/>
        <source>The seed must be a whole number from 0 to 18446744073709551615.</source>
        <translation>种子必须是 0 到 18446744073709551615 之间的整数。</translation>
    </message>
    <message>
        <location filename="../app/pages/evaluate_page.cpp" line="454"/>
        <source>On a host the seed must be below 9223372036853775807.</source>
        <translation>在主机上生成时，种子必须小于 9223372036853775807。</translation>
    </message>
    <message>
        <location filename="../app/pages/evaluate_page.cpp" line="460"/>
        <source>Choose a folder for the images and votes.</source>
        <translation>选择存放图像和投票的文件夹。</translation>
    </message>
    <message>
        <location filename="../app/pages/evaluate_page.cpp" line="461"/>
        <source>%1 is a file, not a folder.</source>
        <translation>%1 是文件，不是文件夹。</translation>
    </message>
    <message>
        <location filename="../app/pages/evaluate_page.cpp" line="463"/>
        <source>%1 already holds other files: choose an empty or new folder.</source>
        <translation>%1 中已有其他文件：请选择空文件夹或新文件夹。</translation>
    </message>
    <message>
        <location filename="../app/pages/evaluate_page.cpp" line="518"/>
        <source>An unfinished evaluation is in this folder: Resume generates the images still missing.</source>
        <translation>此文件夹中有一个未完成的评估：“继续”会生成仍缺少的图像。</translation>
    </message>
    <message>
        <location filename="../app/pages/evaluate_page.cpp" line="544"/>
        <source>Model %1: starting on the host…</source>
        <translation>模型 %1：正在主机上启动…</translation>
    </message>
    <message>
        <location filename="../app/pages/evaluate_page.cpp" line="546"/>
        <source>A generation is still running.</source>
        <translation>仍有生成任务在运行。</translation>
    </message>
    <message>
        <location filename="../app/pages/evaluate_page.cpp" line="553"/>
        <source>Loading model %1…</source>
        <translation>正在加载模型 %1…</translation>
    </message>
    <message>
        <location filename="../app/pages/evaluate_page.cpp" line="562"/>
        <source>Every image is ready.</source>
        <translation>所有图像都已就绪。</translation>
    </message>
    <message>
        <location filename="../app/pages/evaluate_page.cpp" line="571"/>
        <source>Cannot load model %1: %2</source>
        <translation>无法加载模型 %1：%2</translation>
    </message>
    <message>
        <location filename="../app/pages/evaluate_page.cpp" line="590"/>
        <source>The model is not loaded.</source>
        <translation>模型尚未加载。</translation>
    </message>
    <message>
        <location filename="../app/pages/evaluate_page.cpp" line="595"/>
        <source>Generating the images of model %1…</source>
        <translation>正在生成模型 %1 的图像…</translation>
    </message>
    <message>
        <location filename="../app/pages/evaluate_page.cpp" line="600"/>
        <source>Model %1, prompt %2 of %3: step %4 of %5</source>
        <translation>模型 %1，提示词 %2 / %3：第 %4 / %5 步</translation>
    </message>
    <message>
        <location filename="../app/pages/evaluate_page.cpp" line="616"/>
        <source>Cannot move %1 to %2.</source>
        <translation>无法将 %1 移动到 %2。</translation>
    </message>
    <message>
        <location filename="../app/pages/evaluate_page.cpp" line="620"/>
        <source>Generating prompt %1 failed: %2</source>
        <translation>生成提示词 %1 失败：%2</translation>
    </message>
    <message>
        <location filename="../app/pages/evaluate_page.cpp" line="123"/>
        <location filename="../app/pages/evaluate_page.cpp" line="641"/>
        <source>Cancelled: the images made so far are kept; Resume goes on from there.</source>
        <translation>已取消：已生成的图像会保留；“继续”将从那里接着进行。</translation>
    </message>
    <message>
        <location filename="../app/pages/evaluate_page.cpp" line="124"/>
        <source>Generating on the host failed: %1</source>
        <translation>在主机上生成失败：%1</translation>
    </message>
    <message>
        <location filename="../app/pages/evaluate_page.cpp" line="663"/>
        <source>Pair %1 of %2 · %3 voted</source>
        <translation>第 %1 / %2 对 · 已投票 %3</translation>
    </message>
    <message>
        <location filename="../app/pages/evaluate_page.cpp" line="664"/>
        <source>“%1”  (%2)</source>
        <translation>“%1”（%2）</translation>
    </message>
    <message>
        <location filename="../app/pages/evaluate_page.cpp" line="715"/>
        <source>A: %1</source>
        <translation>A：%1</translation>
    </message>
    <message>
        <location filename="../app/pages/evaluate_page.cpp" line="716"/>
        <source>B: %1</source>
        <translation>B：%1</translation>
    </message>
    <message>
        <location filename="../app/pages/evaluate_page.cpp" line="717"/>
        <source>Every pair has its votes. Model A was %1; model B was %2.</source>
        <translation>每一对都已投票。模型 A 是 %1；模型 B 是 %2。</translation>
    </message>
    <message>
        <location filename="../app/pages/evaluate_page.cpp" line="721"/>
        <location filename="../app/pages/evaluate_page.cpp" line="726"/>
        <source>Image quality</source>
        <translation>图像质量</translation>
    </message>
    <message>
        <location filename="../app/pages/evaluate_page.cpp" line="722"/>
        <location filename="../app/pages/evaluate_page.cpp" line="726"/>
        <source>Prompt alignment</source>
        <translation>提示词契合度</translation>
    </message>
    <message>
        <location filename="../app/pages/evaluate_page.cpp" line="727"/>
        <source>Overall</source>
        <translation>总体</translation>
    </message>
    <message>
        <location filename="../app/pages/evaluate_page.cpp" line="744"/>
        <source>Wrote votes.csv and summary.csv to %1.</source>
        <translation>已将 votes.csv 和 summary.csv 写入 %1。</translation>
    </message>
    <message>
        <location filename="../app/pages/evaluate_page.cpp" line="745"/>
        <source>Cannot create %1.</source>
        <translation>无法创建 %1。</translation>
    </message>
</context>
<context>
    <name>EvaluationSession</name>
    <message>
        <location filename="../app/models/evaluation_session.cpp" line="25"/>
        <source>Cannot create the folder %1.</source>
        <translation>无法创建文件夹 %1。</translation>
    </message>
    <message>
        <location filename="../app/models/evaluation_session.cpp" line="45"/>
        <source>Cannot read %1: %2</source>
        <translation>无法读取 %1：%2</translation>
    </message>
    <message>
        <location filename="../app/models/evaluation_session.cpp" line="52"/>
        <source>%1 is not an evaluation session this version can read.</source>
        <translation>%1 不是此版本可读取的评估会话。</translation>
    </message>
    <message>
        <location filename="../app/models/evaluation_session.cpp" line="70"/>
        <source>%1 names an unknown place to generate: %2.</source>
        <translation>%1 指定了未知的生成位置：%2。</translation>
    </message>
    <message>
        <location filename="../app/models/evaluation_session.cpp" line="86"/>
        <source>%1 holds no prompts.</source>
        <translation>%1 中没有提示词。</translation>
    </message>
    <message>
        <location filename="../app/models/evaluation_session.cpp" line="125"/>
        <source>Cannot save the evaluation to %1: %2</source>
        <translation>无法将评估保存到 %1：%2</translation>
    </message>
    <message>
        <location filename="../app/models/evaluation_session.cpp" line="208"/>
        <location filename="../app/models/evaluation_session.cpp" line="222"/>
        <location filename="../app/models/evaluation_session.cpp" line="231"/>
        <location filename="../app/models/evaluation_session.cpp" line="247"/>
        <source>Cannot write %1: %2</source>
        <translation>无法写入 %1：%2</translation>
    </message>
</context>
<context>
    <name>GalleryModel</name>
    <message>
        <location filename="../app/models/gallery_model.cpp" line="19"/>
        <source>Seed %1</source>
        <translation>种子 %1</translation>
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
        <translation>生成</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="83"/>
        <source>Generate (Ctrl+Return)</source>
        <translation>生成（Ctrl+Return）</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="85"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="87"/>
        <source>Stop after the current step (Esc); nothing of the unfinished image is written.</source>
        <translation>在当前步骤后停止（Esc）；未完成的图像不会写入任何内容。</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="157"/>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="162"/>
        <source>A diffusers folder or a Tessera checkpoint folder</source>
        <translation>diffusers 文件夹或 Tessera 检查点文件夹</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="163"/>
        <source>A diffusers model folder (model_index.json, unet/, vae/, …) or a training checkpoint (RUN_DIR/checkpoints/step-N), which is exported to a model folder first.</source>
        <translation>diffusers 模型文件夹（model_index.json、unet/、vae/ 等）或训练检查点（RUN_DIR/checkpoints/step-N），检查点会先导出为模型文件夹。</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="165"/>
        <location filename="../app/pages/generate_page.cpp" line="272"/>
        <location filename="../app/pages/generate_page.cpp" line="292"/>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="166"/>
        <source>Load</source>
        <translation>加载</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="177"/>
        <location filename="../app/pages/generate_page.cpp" line="502"/>
        <source>No model loaded.</source>
        <translation>未加载模型。</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="188"/>
        <source>Prompt</source>
        <translation>提示词</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="192"/>
        <source>What to draw, e.g. a lighthouse on a cliff at dawn, oil painting</source>
        <translation>要画的内容，例如：黎明时悬崖上的灯塔，油画</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="199"/>
        <source>Negative prompt: what to avoid, e.g. blurry, text, watermark</source>
        <translation>反向提示词：要避免的内容，例如：模糊、文字、水印</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="206"/>
        <source>Sampling</source>
        <translation>采样</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="210"/>
        <source>Model default</source>
        <translation>模型默认</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="216"/>
        <source>Denoising steps (at least 1); more is slower and usually finer.</source>
        <translation>去噪步数（至少 1）；越多越慢，通常越精细。</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="223"/>
        <source>Classifier-free guidance (CFG) scale: how closely to follow the prompt.</source>
        <translation>无分类器引导（CFG）系数：遵循提示词的程度。</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="228"/>
        <source>Random</source>
        <translation>随机</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="230"/>
        <source>A new seed for every generation; the seed used is shown and stored in each image.</source>
        <translation>每次生成使用新的种子；所用种子会显示并保存在每张图像中。</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="244"/>
        <source> px</source>
        <translation> 像素</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="253"/>
        <source>Images per generation, each with its own noise.</source>
        <translation>每次生成的图像数，每张有各自的噪声。</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="254"/>
        <source>Sampler</source>
        <translation>采样器</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="255"/>
        <source>Steps</source>
        <translation>步数</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="256"/>
        <source>Guidance (CFG)</source>
        <translation>引导系数（CFG）</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="257"/>
        <source>Seed</source>
        <translation>种子</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="259"/>
        <source>Size</source>
        <translation>尺寸</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="261"/>
        <source>Batch</source>
        <translation>批量</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="263"/>
        <source>Start from an image (img2img)</source>
        <translation>从图像开始（img2img）</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="271"/>
        <source>A PNG image</source>
        <translation>PNG 图像</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="281"/>
        <source>How much to change the image: 0 keeps it, 1 ignores it.</source>
        <translation>对图像的改变程度：0 保持原样，1 完全忽略。</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="283"/>
        <source>Image</source>
        <translation>图像</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="285"/>
        <source>Strength</source>
        <translation>强度</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="287"/>
        <source>Output folder</source>
        <translation>输出文件夹</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="312"/>
        <source>The image appears here as it forms.</source>
        <translation>图像在生成过程中显示在这里。</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="342"/>
        <source>Select an image to see the parameters stored in it.</source>
        <translation>选择一张图像以查看其中保存的参数。</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="345"/>
        <source>Copy parameters</source>
        <translation>复制参数</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="347"/>
        <source>Open folder</source>
        <translation>打开文件夹</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="365"/>
        <source>Gallery</source>
        <translation>图库</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="378"/>
        <source>Choose a model folder or checkpoint</source>
        <translation>选择模型文件夹或检查点</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="387"/>
        <location filename="../app/pages/generate_page.cpp" line="501"/>
        <source>Choose a model folder first (a diffusers folder or a training checkpoint).</source>
        <translation>请先选择模型文件夹（diffusers 文件夹或训练检查点）。</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="391"/>
        <source>%1 is not a folder. Choose a diffusers model folder or a checkpoint folder.</source>
        <translation>%1 不是文件夹。请选择 diffusers 模型文件夹或检查点文件夹。</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="395"/>
        <source>Wait for the current generation to end (or cancel it) before loading another model.</source>
        <translation>请等待当前生成结束（或取消它）后再加载其他模型。</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="399"/>
        <source>Exporting and loading the checkpoint %1…</source>
        <translation>正在导出并加载检查点 %1…</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="400"/>
        <source>Loading %1…</source>
        <translation>正在加载 %1…</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="408"/>
        <source>Cannot load the model: %1</source>
        <translation>无法加载模型：%1</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="415"/>
        <source>Model default (%1)</source>
        <translation>模型默认（%1）</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="427"/>
        <source>Loaded %1: %2 × %3 px by default, sizes in multiples of %4, sampler %5.</source>
        <translation>已加载 %1：默认 %2 × %3 像素，尺寸须为 %4 的倍数，采样器 %5。</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="454"/>
        <source>Enter a prompt: what the image should show.</source>
        <translation>请输入提示词：图像应该展示什么。</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="462"/>
        <source>The seed must be a whole number from 0 to %1, or tick Random.</source>
        <translation>种子必须是 0 到 %1 之间的整数，或勾选“随机”。</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="470"/>
        <source>Width and height must be multiples of %1 for this model: try %2 × %3.</source>
        <translation>此模型的宽度和高度必须是 %1 的倍数：试试 %2 × %3。</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="481"/>
        <source>Choose the image to start from, or untick img2img.</source>
        <translation>选择起始图像，或取消勾选 img2img。</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="483"/>
        <source>%1 does not exist.</source>
        <translation>%1 不存在。</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="485"/>
        <source>The image to start from must be a PNG.</source>
        <translation>起始图像必须是 PNG。</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="490"/>
        <source>Choose the folder the images are written to.</source>
        <translation>选择写入图像的文件夹。</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="509"/>
        <location filename="../app/pages/generate_page.cpp" line="515"/>
        <source>Nothing started: correct the fields marked in red.</source>
        <translation>未开始：请更正标红的字段。</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="514"/>
        <source>Cannot write to %1: choose another folder.</source>
        <translation>无法写入 %1：请选择其他文件夹。</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="541"/>
        <source>The model is not ready.</source>
        <translation>模型尚未就绪。</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="548"/>
        <source>Starting…</source>
        <translation>正在开始…</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="559"/>
        <source>Cancelling after the current step…</source>
        <translation>将在当前步骤后取消…</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="565"/>
        <source>Encoding the prompt…</source>
        <translation>正在编码提示词…</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="574"/>
        <source>Step %1 of %2</source>
        <translation>第 %1 / %2 步</translation>
    </message>
    <message numerus="yes">
        <location filename="../app/pages/generate_page.cpp" line="597"/>
        <source>%n image(s) written to %1 in %2 s.</source>
        <translation>
            <numerusform>%n 张图像已写入 %1，用时 %2 秒。</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="602"/>
        <source>Cancelled; nothing of the unfinished image was written.</source>
        <translation>已取消；未完成的图像没有写入任何内容。</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="605"/>
        <source>Generation failed: %1</source>
        <translation>生成失败：%1</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="623"/>
        <source>Parameters copied.</source>
        <translation>参数已复制。</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="650"/>
        <source>Choose the image to start from</source>
        <translation>选择起始图像</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="651"/>
        <source>PNG images (*.png)</source>
        <translation>PNG 图像 (*.png)</translation>
    </message>
    <message>
        <location filename="../app/pages/generate_page.cpp" line="656"/>
        <source>Choose the output folder</source>
        <translation>选择输出文件夹</translation>
    </message>
</context>
<context>
    <name>GenerationPlaceFields</name>
    <message>
        <location filename="../app/widgets/generation_place_fields.cpp" line="16"/>
        <source>This computer</source>
        <translation>本机</translation>
    </message>
    <message>
        <location filename="../app/widgets/generation_place_fields.cpp" line="17"/>
        <source>A GPU host over SSH</source>
        <translation>通过 SSH 连接的 GPU 主机</translation>
    </message>
    <message>
        <location filename="../app/widgets/generation_place_fields.cpp" line="18"/>
        <source>A Slurm cluster</source>
        <translation>Slurm 集群</translation>
    </message>
    <message>
        <location filename="../app/widgets/generation_place_fields.cpp" line="19"/>
        <source>On a host, both models are paths there and tessera generate runs there; the images come back here.</source>
        <translation>在主机上生成时，两个模型均为该主机上的路径，tessera generate 在该主机上运行，图像会传回本机。</translation>
    </message>
    <message>
        <location filename="../app/widgets/generation_place_fields.cpp" line="20"/>
        <source>Generate &amp;on:</source>
        <translation>生成位置(&amp;O)：</translation>
    </message>
    <message>
        <location filename="../app/widgets/generation_place_fields.cpp" line="30"/>
        <source>&amp;Host:</source>
        <translation>主机(&amp;H)：</translation>
    </message>
    <message>
        <location filename="../app/widgets/generation_place_fields.cpp" line="35"/>
        <source>The tessera binary on the host (default: tessera on its PATH).</source>
        <translation>主机上的 tessera 程序（默认：其 PATH 中的 tessera）。</translation>
    </message>
    <message>
        <location filename="../app/widgets/generation_place_fields.cpp" line="36"/>
        <source>&amp;tessera there:</source>
        <translation>主机上的 &amp;tessera：</translation>
    </message>
    <message>
        <location filename="../app/widgets/generation_place_fields.cpp" line="37"/>
        <source>Use the host&apos;s &amp;CPU (no GPU there)</source>
        <translation>使用主机的 &amp;CPU（该主机没有 GPU）</translation>
    </message>
    <message>
        <location filename="../app/widgets/generation_place_fields.cpp" line="51"/>
        <source>the login host, [user@]host[:port] (empty: this machine)</source>
        <translation>登录主机，[用户@]主机[:端口]（留空：本机）</translation>
    </message>
    <message>
        <location filename="../app/widgets/generation_place_fields.cpp" line="52"/>
        <source>[user@]host[:port] or an alias from ~/.ssh/config</source>
        <translation>[用户@]主机[:端口] 或 ~/.ssh/config 中的别名</translation>
    </message>
    <message>
        <location filename="../app/widgets/generation_place_fields.cpp" line="75"/>
        <source>Name the GPU host: [user@]host[:port].</source>
        <translation>请填写 GPU 主机：[用户@]主机[:端口]。</translation>
    </message>
    <message>
        <location filename="../app/widgets/generation_place_fields.cpp" line="76"/>
        <source>A host name has no spaces.</source>
        <translation>主机名中不能有空格。</translation>
    </message>
</context>
<context>
    <name>HistogramPlot</name>
    <message>
        <location filename="../app/widgets/histogram_plot.cpp" line="25"/>
        <source>all</source>
        <translation>全部</translation>
    </message>
    <message>
        <location filename="../app/widgets/histogram_plot.cpp" line="30"/>
        <source>kept</source>
        <translation>保留</translation>
    </message>
    <message>
        <location filename="../app/widgets/histogram_plot.cpp" line="34"/>
        <source>images</source>
        <translation>图像</translation>
    </message>
</context>
<context>
    <name>Language</name>
    <message>
        <location filename="../app/language.cpp" line="16"/>
        <source>System language</source>
        <translation>系统语言</translation>
    </message>
</context>
<context>
    <name>LaunchDialog</name>
    <message>
        <location filename="../app/dialogs/launch_dialog.cpp" line="82"/>
        <source>Launch %1</source>
        <translation>启动 %1</translation>
    </message>
    <message>
        <location filename="../app/dialogs/launch_dialog.cpp" line="90"/>
        <source>Run name</source>
        <translation>运行名称</translation>
    </message>
    <message>
        <location filename="../app/dialogs/launch_dialog.cpp" line="92"/>
        <source>Config</source>
        <translation>配置</translation>
    </message>
    <message>
        <location filename="../app/dialogs/launch_dialog.cpp" line="97"/>
        <source>&amp;This machine</source>
        <translation>本机(&amp;T)</translation>
    </message>
    <message>
        <location filename="../app/dialogs/launch_dialog.cpp" line="98"/>
        <source>&amp;SSH hosts</source>
        <translation>SSH 主机(&amp;S)</translation>
    </message>
    <message>
        <location filename="../app/dialogs/launch_dialog.cpp" line="99"/>
        <source>S&amp;lurm</source>
        <translation>Slurm(&amp;L)</translation>
    </message>
    <message>
        <location filename="../app/dialogs/launch_dialog.cpp" line="105"/>
        <source>The tessera binary on the machines that train (a name on their PATH, or a full path).</source>
        <translation>训练机器上的 tessera 可执行文件（PATH 中的名称或完整路径）。</translation>
    </message>
    <message>
        <location filename="../app/dialogs/launch_dialog.cpp" line="107"/>
        <source>Check the hosts first</source>
        <translation>先检查主机</translation>
    </message>
    <message>
        <location filename="../app/dialogs/launch_dialog.cpp" line="109"/>
        <source>The tessera binary, free GPUs, disk space and the rendezvous port, before anything starts.</source>
        <translation>在开始之前检查 tessera 可执行文件、空闲 GPU、磁盘空间和汇合端口。</translation>
    </message>
    <message>
        <location filename="../app/dialogs/launch_dialog.cpp" line="113"/>
        <source> GiB free disk</source>
        <translation> GiB 可用磁盘</translation>
    </message>
    <message>
        <location filename="../app/dialogs/launch_dialog.cpp" line="117"/>
        <source>tessera binary</source>
        <translation>tessera 可执行文件</translation>
    </message>
    <message>
        <location filename="../app/dialogs/launch_dialog.cpp" line="143"/>
        <source>Launch</source>
        <translation>启动</translation>
    </message>
    <message>
        <location filename="../app/dialogs/launch_dialog.cpp" line="148"/>
        <source>Close; while launching: stop before the run starts (Esc).</source>
        <translation>关闭；启动过程中：在运行开始前停止（Esc）。</translation>
    </message>
    <message>
        <location filename="../app/dialogs/launch_dialog.cpp" line="179"/>
        <source>The run folder on this machine: config, metrics, checkpoints and samples go there.</source>
        <translation>本机上的运行文件夹：配置、指标、检查点和样例图像都存放在这里。</translation>
    </message>
    <message>
        <location filename="../app/dialogs/launch_dialog.cpp" line="180"/>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <location filename="../app/dialogs/launch_dialog.cpp" line="182"/>
        <source>Choose the run folder</source>
        <translation>选择运行文件夹</translation>
    </message>
    <message>
        <location filename="../app/dialogs/launch_dialog.cpp" line="191"/>
        <source>Processes to start, one per GPU (Gloo between them on a CPU).</source>
        <translation>要启动的进程数，每块 GPU 一个（在 CPU 上通过 Gloo 通信）。</translation>
    </message>
    <message>
        <location filename="../app/dialogs/launch_dialog.cpp" line="192"/>
        <source>Train on the CPU (no GPU check)</source>
        <translation>在 CPU 上训练（不检查 GPU）</translation>
    </message>
    <message>
        <location filename="../app/dialogs/launch_dialog.cpp" line="194"/>
        <source>Run folder</source>
        <translation>运行文件夹</translation>
    </message>
    <message>
        <location filename="../app/dialogs/launch_dialog.cpp" line="196"/>
        <source>Processes</source>
        <translation>进程数</translation>
    </message>
    <message>
        <location filename="../app/dialogs/launch_dialog.cpp" line="206"/>
        <source>One host per line: [user@]host[:port] or an ~/.ssh/config alias; the first is the rendezvous host</source>
        <translation>每行一台主机：[user@]host[:port] 或 ~/.ssh/config 中的别名；第一台为汇合主机</translation>
    </message>
    <message>
        <location filename="../app/dialogs/launch_dialog.cpp" line="215"/>
        <source>The run folder on the hosts (absolute, or relative to the login folder); the same path on each.</source>
        <translation>主机上的运行文件夹（绝对路径，或相对于登录目录）；每台主机路径相同。</translation>
    </message>
    <message>
        <location filename="../app/dialogs/launch_dialog.cpp" line="220"/>
        <source>Hosts</source>
        <translation>主机</translation>
    </message>
    <message>
        <location filename="../app/dialogs/launch_dialog.cpp" line="222"/>
        <source>GPUs per host</source>
        <translation>每台主机的 GPU 数</translation>
    </message>
    <message>
        <location filename="../app/dialogs/launch_dialog.cpp" line="223"/>
        <location filename="../app/dialogs/launch_dialog.cpp" line="273"/>
        <source>Run folder there</source>
        <translation>远端运行文件夹</translation>
    </message>
    <message>
        <location filename="../app/dialogs/launch_dialog.cpp" line="225"/>
        <source>Rendezvous port</source>
        <translation>汇合端口</translation>
    </message>
    <message>
        <location filename="../app/dialogs/launch_dialog.cpp" line="234"/>
        <source>The login node ([user@]host[:port]); empty: sbatch on this machine</source>
        <translation>登录节点（[user@]host[:port]）；留空：在本机执行 sbatch</translation>
    </message>
    <message>
        <location filename="../app/dialogs/launch_dialog.cpp" line="244"/>
        <source>[D-]HH:MM:SS; empty: the partition&apos;s limit</source>
        <translation>[D-]HH:MM:SS；留空：使用分区的上限</translation>
    </message>
    <message>
        <location filename="../app/dialogs/launch_dialog.cpp" line="252"/>
        <source>Extra lines, each a whole #SBATCH line, e.g. #SBATCH --exclusive</source>
        <translation>额外的行，每行都是完整的 #SBATCH 行，例如 #SBATCH --exclusive</translation>
    </message>
    <message>
        <location filename="../app/dialogs/launch_dialog.cpp" line="257"/>
        <source>The run folder on the cluster&apos;s shared file system.</source>
        <translation>集群共享文件系统上的运行文件夹。</translation>
    </message>
    <message>
        <location filename="../app/dialogs/launch_dialog.cpp" line="263"/>
        <source>The batch script that will be submitted.</source>
        <translation>将要提交的批处理脚本。</translation>
    </message>
    <message>
        <location filename="../app/dialogs/launch_dialog.cpp" line="264"/>
        <source>Login host</source>
        <translation>登录主机</translation>
    </message>
    <message>
        <location filename="../app/dialogs/launch_dialog.cpp" line="266"/>
        <source>Nodes</source>
        <translation>节点数</translation>
    </message>
    <message>
        <location filename="../app/dialogs/launch_dialog.cpp" line="267"/>
        <source>GPUs per node</source>
        <translation>每节点 GPU 数</translation>
    </message>
    <message>
        <location filename="../app/dialogs/launch_dialog.cpp" line="268"/>
        <source>Time limit</source>
        <translation>时间上限</translation>
    </message>
    <message>
        <location filename="../app/dialogs/launch_dialog.cpp" line="269"/>
        <source>Partition</source>
        <translation>分区</translation>
    </message>
    <message>
        <location filename="../app/dialogs/launch_dialog.cpp" line="270"/>
        <source>Account</source>
        <translation>账户</translation>
    </message>
    <message>
        <location filename="../app/dialogs/launch_dialog.cpp" line="271"/>
        <source>Extra #SBATCH lines</source>
        <translation>额外的 #SBATCH 行</translation>
    </message>
    <message>
        <location filename="../app/dialogs/launch_dialog.cpp" line="275"/>
        <source>Batch script</source>
        <translation>批处理脚本</translation>
    </message>
    <message>
        <location filename="../app/dialogs/launch_dialog.cpp" line="345"/>
        <source>No script: %1</source>
        <translation>无脚本：%1</translation>
    </message>
    <message numerus="yes">
        <location filename="../app/dialogs/launch_dialog.cpp" line="355"/>
        <source>The global batch (%1) does not divide into microbatch %2 × %n rank(s): change the batch or the GPUs, or the run stops at its start.</source>
        <translation>
            <numerusform>全局批大小（%1）无法被微批大小 %2 × %n 个进程整除：请修改批大小或 GPU 数，否则运行会在开始时停止。</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../app/dialogs/launch_dialog.cpp" line="377"/>
        <source>&apos;%1&apos; is not a host: write [user@]host[:port] or an alias from ~/.ssh/config.</source>
        <translation>“%1”不是主机：请写成 [user@]host[:port] 或 ~/.ssh/config 中的别名。</translation>
    </message>
    <message>
        <location filename="../app/dialogs/launch_dialog.cpp" line="382"/>
        <source>Enter the run folder.</source>
        <translation>请输入运行文件夹。</translation>
    </message>
    <message>
        <location filename="../app/dialogs/launch_dialog.cpp" line="383"/>
        <source>The run folder cannot span lines.</source>
        <translation>运行文件夹不能跨行。</translation>
    </message>
    <message>
        <location filename="../app/dialogs/launch_dialog.cpp" line="386"/>
        <source>Give the run a name.</source>
        <translation>请为运行命名。</translation>
    </message>
    <message>
        <location filename="../app/dialogs/launch_dialog.cpp" line="392"/>
        <source>%1 is a file, not a folder.</source>
        <translation>%1 是文件，不是文件夹。</translation>
    </message>
    <message>
        <location filename="../app/dialogs/launch_dialog.cpp" line="398"/>
        <source>Enter at least one host.</source>
        <translation>请至少输入一台主机。</translation>
    </message>
    <message>
        <location filename="../app/dialogs/launch_dialog.cpp" line="406"/>
        <source>The time limit must read [D-]HH:MM:SS, e.g. 2-00:00:00.</source>
        <translation>时间上限的格式必须为 [D-]HH:MM:SS，例如 2-00:00:00。</translation>
    </message>
    <message>
        <location filename="../app/dialogs/launch_dialog.cpp" line="408"/>
        <source>The partition may hold letters, digits and . _ , - only.</source>
        <translation>分区只能包含字母、数字和 . _ , -。</translation>
    </message>
    <message>
        <location filename="../app/dialogs/launch_dialog.cpp" line="410"/>
        <source>The account may hold letters, digits and . _ - only.</source>
        <translation>账户只能包含字母、数字和 . _ -。</translation>
    </message>
    <message>
        <location filename="../app/dialogs/launch_dialog.cpp" line="413"/>
        <source>Each extra line must start with &apos;#SBATCH &apos;: %1</source>
        <translation>每个额外的行都必须以“#SBATCH ”开头：%1</translation>
    </message>
    <message>
        <location filename="../app/dialogs/launch_dialog.cpp" line="428"/>
        <source>Nothing started: correct the fields marked in red.</source>
        <translation>未开始：请更正标红的字段。</translation>
    </message>
    <message>
        <location filename="../app/dialogs/launch_dialog.cpp" line="433"/>
        <source>Nothing started: %1</source>
        <translation>未开始：%1</translation>
    </message>
    <message>
        <location filename="../app/dialogs/launch_dialog.cpp" line="462"/>
        <source>Starting…</source>
        <translation>正在开始…</translation>
    </message>
    <message>
        <location filename="../app/dialogs/launch_dialog.cpp" line="471"/>
        <source>Copying the config into the run folder…</source>
        <translation>正在将配置复制到运行文件夹…</translation>
    </message>
    <message>
        <location filename="../app/dialogs/launch_dialog.cpp" line="472"/>
        <source>Connecting to %1…</source>
        <translation>正在连接 %1…</translation>
    </message>
    <message>
        <location filename="../app/dialogs/launch_dialog.cpp" line="473"/>
        <source>Uploading the config to %1…</source>
        <translation>正在将配置上传到 %1…</translation>
    </message>
    <message>
        <location filename="../app/dialogs/launch_dialog.cpp" line="474"/>
        <source>Checking the hosts (tessera, GPUs, disk, rendezvous)…</source>
        <translation>正在检查主机（tessera、GPU、磁盘、汇合端口）…</translation>
    </message>
    <message>
        <location filename="../app/dialogs/launch_dialog.cpp" line="475"/>
        <source>Starting the run…</source>
        <translation>正在启动运行…</translation>
    </message>
    <message>
        <location filename="../app/dialogs/launch_dialog.cpp" line="476"/>
        <source>Recording the run…</source>
        <translation>正在记录运行…</translation>
    </message>
    <message>
        <location filename="../app/dialogs/launch_dialog.cpp" line="488"/>
        <source>Run %1 started; follow it on the Runs page (Ctrl+3).</source>
        <translation>运行 %1 已启动；可在“运行”页面跟踪（Ctrl+3）。</translation>
    </message>
    <message>
        <location filename="../app/dialogs/launch_dialog.cpp" line="491"/>
        <source>Cancelled; nothing was started.</source>
        <translation>已取消；没有启动任何内容。</translation>
    </message>
    <message>
        <location filename="../app/dialogs/launch_dialog.cpp" line="493"/>
        <source>The host checks failed (see below): fix them, or untick the checks to launch anyway.</source>
        <translation>主机检查未通过（见下文）：请修复，或取消勾选检查以强制启动。</translation>
    </message>
    <message>
        <location filename="../app/dialogs/launch_dialog.cpp" line="495"/>
        <source>Not started: %1</source>
        <translation>未启动：%1</translation>
    </message>
    <message>
        <location filename="../app/dialogs/launch_dialog.cpp" line="506"/>
        <source>Cancelling before the next stage…</source>
        <translation>将在下一阶段前取消…</translation>
    </message>
    <message>
        <location filename="../app/dialogs/launch_dialog.cpp" line="526"/>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <location filename="../app/dialogs/launch_dialog.cpp" line="526"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
</context>
<context>
    <name>LocalGenerator</name>
    <message>
        <location filename="../app/workers/local_generator.cpp" line="68"/>
        <source>Cannot turn the checkpoint into a model folder: %1</source>
        <translation>无法将检查点转换为模型文件夹：%1</translation>
    </message>
</context>
<context>
    <name>LossPlot</name>
    <message>
        <location filename="../app/widgets/loss_plot.cpp" line="22"/>
        <source>step</source>
        <translation>步</translation>
    </message>
    <message>
        <location filename="../app/widgets/loss_plot.cpp" line="23"/>
        <source>loss</source>
        <translation>损失</translation>
    </message>
    <message>
        <location filename="../app/widgets/loss_plot.cpp" line="53"/>
        <source> (raw)</source>
        <translation>（原始）</translation>
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
        <translation>数据集</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="64"/>
        <source>Train</source>
        <translation>训练</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="66"/>
        <source>Runs</source>
        <translation>运行</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="70"/>
        <source>Generate</source>
        <translation>生成</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="71"/>
        <source>Evaluate</source>
        <translation>评估</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="83"/>
        <source>LibTorch %1 · %2 · %3 CPU threads</source>
        <translation>LibTorch %1 · %2 · %3 个 CPU 线程</translation>
    </message>
    <message numerus="yes">
        <location filename="../app/main_window.cpp" line="85"/>
        <source>%n CUDA device(s)</source>
        <translation>
            <numerusform>%n 个 CUDA 设备</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="85"/>
        <source>CPU only</source>
        <translation>仅 CPU</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="108"/>
        <source>%1 (Ctrl+%2)</source>
        <translation>%1（Ctrl+%2）</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="112"/>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="113"/>
        <source>&amp;New Project…</source>
        <translation>新建项目(&amp;N)…</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="116"/>
        <source>&amp;Open Project…</source>
        <translation>打开项目(&amp;O)…</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="119"/>
        <source>Open &amp;Recent</source>
        <translation>最近的项目(&amp;R)</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="124"/>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="128"/>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="136"/>
        <source>&amp;Settings</source>
        <translation>设置(&amp;S)</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="137"/>
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="149"/>
        <source>The language changes to %1 when Tessera Studio is restarted.</source>
        <translation>重新启动 Tessera Studio 后，语言将切换为 %1。</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="155"/>
        <source>Takes effect after a restart</source>
        <translation>重新启动后生效</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="157"/>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="158"/>
        <source>&amp;About Tessera Studio</source>
        <translation>关于 Tessera Studio(&amp;A)</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="159"/>
        <source>About &amp;Qt</source>
        <translation>关于 &amp;Qt</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="163"/>
        <source>New project: choose or create an empty folder</source>
        <translation>新建项目：选择或创建一个空文件夹</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="168"/>
        <source>New project</source>
        <translation>新建项目</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="173"/>
        <source>Open a project folder</source>
        <translation>打开项目文件夹</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="176"/>
        <location filename="../app/main_window.cpp" line="187"/>
        <source>Open project</source>
        <translation>打开项目</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="191"/>
        <source>No recent projects</source>
        <translation>没有最近的项目</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="193"/>
        <source>&amp;Clear the list</source>
        <translation>清空列表(&amp;C)</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="216"/>
        <source>%1 — Tessera Studio</source>
        <translation>%1 — Tessera Studio</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="228"/>
        <source>Project %1 opened.</source>
        <translation>已打开项目 %1。</translation>
    </message>
</context>
<context>
    <name>PlaceholderPage</name>
    <message>
        <location filename="../app/pages/placeholder_page.cpp" line="17"/>
        <source>Not implemented yet.</source>
        <translation>尚未实现。</translation>
    </message>
</context>
<context>
    <name>PreferenceChart</name>
    <message>
        <location filename="../app/widgets/preference_chart.cpp" line="51"/>
        <source>Overall</source>
        <translation>总体</translation>
    </message>
    <message>
        <location filename="../app/widgets/preference_chart.cpp" line="52"/>
        <source>n = %1</source>
        <translation>n = %1</translation>
    </message>
    <message>
        <location filename="../app/widgets/preference_chart.cpp" line="65"/>
        <source>preference rate (95% CI)</source>
        <translation>偏好率（95% 置信区间）</translation>
    </message>
</context>
<context>
    <name>Project</name>
    <message>
        <location filename="../app/project.cpp" line="41"/>
        <source>%1 is a file, not a folder.</source>
        <translation>%1 是文件，不是文件夹。</translation>
    </message>
    <message>
        <location filename="../app/project.cpp" line="47"/>
        <source>%1 already holds other files: choose an empty or new folder.</source>
        <translation>%1 中已有其他文件：请选择空文件夹或新文件夹。</translation>
    </message>
    <message>
        <location filename="../app/project.cpp" line="51"/>
        <source>Cannot create %1.</source>
        <translation>无法创建 %1。</translation>
    </message>
    <message>
        <location filename="../app/project.cpp" line="59"/>
        <source>Cannot write %1: %2</source>
        <translation>无法写入 %1：%2</translation>
    </message>
    <message>
        <location filename="../app/project.cpp" line="69"/>
        <source>%1 is not a Tessera project (it has no %2).</source>
        <translation>%1 不是 Tessera 项目（其中没有 %2）。</translation>
    </message>
    <message>
        <location filename="../app/project.cpp" line="74"/>
        <source>%1 is not a Tessera project file.</source>
        <translation>%1 不是 Tessera 项目文件。</translation>
    </message>
    <message>
        <location filename="../app/project.cpp" line="78"/>
        <source>%1 was made by a newer Tessera Studio: update it to open this project.</source>
        <translation>%1 由更新版本的 Tessera Studio 创建：请升级后再打开此项目。</translation>
    </message>
</context>
<context>
    <name>PromptCsv</name>
    <message>
        <location filename="../app/models/prompt_set.cpp" line="67"/>
        <source>Line %1: a quote inside an unquoted field; put the whole field in quotes and double the quote (&quot;&quot;).</source>
        <translation>第 %1 行：未加引号的字段中有引号；请给整个字段加上引号，并将其中的引号写两遍（&quot;&quot;）。</translation>
    </message>
    <message>
        <location filename="../app/models/prompt_set.cpp" line="77"/>
        <source>Line %1: text after a closing quote; a quoted field must end at a comma or the end of the line.</source>
        <translation>第 %1 行：右引号后还有文本；带引号的字段必须在逗号或行尾结束。</translation>
    </message>
    <message>
        <location filename="../app/models/prompt_set.cpp" line="86"/>
        <source>Line %1: a quoted field is never closed.</source>
        <translation>第 %1 行：带引号的字段没有闭合。</translation>
    </message>
    <message>
        <location filename="../app/models/prompt_set.cpp" line="99"/>
        <source>The file is empty: it needs a header row with Prompt and Category columns.</source>
        <translation>文件为空：需要一个含 Prompt 和 Category 列的标题行。</translation>
    </message>
    <message>
        <location filename="../app/models/prompt_set.cpp" line="111"/>
        <source>Line %1: the header row must name a Prompt and a Category column (found: %2).</source>
        <translation>第 %1 行：标题行必须包含 Prompt 列和 Category 列（找到：%2）。</translation>
    </message>
    <message>
        <location filename="../app/models/prompt_set.cpp" line="119"/>
        <source>Line %1: %2 fields where the header has %3.</source>
        <translation>第 %1 行：有 %2 个字段，而标题行有 %3 个。</translation>
    </message>
    <message>
        <location filename="../app/models/prompt_set.cpp" line="125"/>
        <source>Line %1: the prompt is empty.</source>
        <translation>第 %1 行：提示词为空。</translation>
    </message>
    <message>
        <location filename="../app/models/prompt_set.cpp" line="129"/>
        <source>(none)</source>
        <translation>（无）</translation>
    </message>
    <message>
        <location filename="../app/models/prompt_set.cpp" line="132"/>
        <source>The file has a header row but no prompts.</source>
        <translation>文件有标题行但没有提示词。</translation>
    </message>
    <message>
        <location filename="../app/models/prompt_set.cpp" line="140"/>
        <source>Cannot read %1: %2</source>
        <translation>无法读取 %1：%2</translation>
    </message>
</context>
<context>
    <name>RatePlot</name>
    <message>
        <location filename="../app/widgets/rate_plot.cpp" line="18"/>
        <source>step</source>
        <translation>步</translation>
    </message>
    <message>
        <location filename="../app/widgets/rate_plot.cpp" line="19"/>
        <source>learning rate</source>
        <translation>学习率</translation>
    </message>
    <message>
        <location filename="../app/widgets/rate_plot.cpp" line="21"/>
        <source>images/s (dashed)</source>
        <translation>图像/秒（虚线）</translation>
    </message>
</context>
<context>
    <name>RemoteEvaluationGenerator</name>
    <message>
        <location filename="../app/workers/remote_evaluation.cpp" line="83"/>
        <source>connecting to %1</source>
        <translation>正在连接 %1</translation>
    </message>
    <message>
        <location filename="../app/workers/remote_evaluation.cpp" line="84"/>
        <source>checking %1</source>
        <translation>正在检查 %1</translation>
    </message>
    <message>
        <location filename="../app/workers/remote_evaluation.cpp" line="85"/>
        <source>starting on %1</source>
        <translation>正在 %1 上启动</translation>
    </message>
    <message>
        <location filename="../app/workers/remote_evaluation.cpp" line="86"/>
        <source>generating on %1</source>
        <translation>正在 %1 上生成</translation>
    </message>
    <message>
        <location filename="../app/workers/remote_evaluation.cpp" line="87"/>
        <source>preparing on %1</source>
        <translation>正在 %1 上准备</translation>
    </message>
    <message>
        <location filename="../app/workers/remote_evaluation.cpp" line="88"/>
        <source>Model %1: %2…</source>
        <translation>模型 %1：%2…</translation>
    </message>
    <message>
        <location filename="../app/workers/remote_evaluation.cpp" line="91"/>
        <source>Model %1: %2 of %3 images made on the host</source>
        <translation>模型 %1：主机上已生成 %2 / %3 张图像</translation>
    </message>
    <message>
        <location filename="../app/workers/remote_evaluation.cpp" line="99"/>
        <source>Connection restored.</source>
        <translation>连接已恢复。</translation>
    </message>
    <message>
        <location filename="../app/workers/remote_evaluation.cpp" line="99"/>
        <source>Connection lost (%1); trying again…</source>
        <translation>连接中断（%1）；正在重试…</translation>
    </message>
    <message>
        <location filename="../app/workers/remote_evaluation.cpp" line="110"/>
        <source>Cannot move %1 to %2.</source>
        <translation>无法将 %1 移动到 %2。</translation>
    </message>
</context>
<context>
    <name>RunConfigDocument</name>
    <message>
        <location filename="../app/models/run_config_document.cpp" line="49"/>
        <source>the file is not a YAML mapping of keys</source>
        <translation>该文件不是由键组成的 YAML 映射</translation>
    </message>
</context>
<context>
    <name>RunListModel</name>
    <message>
        <location filename="../app/models/run_list_model.cpp" line="39"/>
        <source>pending</source>
        <translation>等待中</translation>
    </message>
    <message>
        <location filename="../app/models/run_list_model.cpp" line="40"/>
        <source>running</source>
        <translation>运行中</translation>
    </message>
    <message>
        <location filename="../app/models/run_list_model.cpp" line="41"/>
        <source>succeeded</source>
        <translation>已成功</translation>
    </message>
    <message>
        <location filename="../app/models/run_list_model.cpp" line="42"/>
        <source>failed</source>
        <translation>已失败</translation>
    </message>
    <message>
        <location filename="../app/models/run_list_model.cpp" line="43"/>
        <source>cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <location filename="../app/models/run_list_model.cpp" line="44"/>
        <source>lost</source>
        <translation>已失联</translation>
    </message>
    <message>
        <location filename="../app/models/run_list_model.cpp" line="52"/>
        <source>start</source>
        <translation>开始</translation>
    </message>
    <message>
        <location filename="../app/models/run_list_model.cpp" line="52"/>
        <source>resume</source>
        <translation>恢复</translation>
    </message>
    <message>
        <location filename="../app/models/run_list_model.cpp" line="53"/>
        <source>restart</source>
        <translation>重启</translation>
    </message>
    <message>
        <location filename="../app/models/run_list_model.cpp" line="53"/>
        <source>stage</source>
        <translation>阶段</translation>
    </message>
    <message>
        <location filename="../app/models/run_list_model.cpp" line="54"/>
        <source>checkpoint</source>
        <translation>检查点</translation>
    </message>
    <message>
        <location filename="../app/models/run_list_model.cpp" line="54"/>
        <source>NaN</source>
        <translation>NaN</translation>
    </message>
    <message>
        <location filename="../app/models/run_list_model.cpp" line="55"/>
        <source>rollback</source>
        <translation>回滚</translation>
    </message>
    <message>
        <location filename="../app/models/run_list_model.cpp" line="55"/>
        <source>watchdog</source>
        <translation>看门狗</translation>
    </message>
    <message>
        <location filename="../app/models/run_list_model.cpp" line="56"/>
        <source>sample</source>
        <translation>样例</translation>
    </message>
    <message>
        <location filename="../app/models/run_list_model.cpp" line="56"/>
        <source>finish</source>
        <translation>结束</translation>
    </message>
    <message>
        <location filename="../app/models/run_list_model.cpp" line="57"/>
        <source>error</source>
        <translation>错误</translation>
    </message>
    <message>
        <location filename="../app/models/run_list_model.cpp" line="57"/>
        <source>fault</source>
        <translation>故障</translation>
    </message>
    <message>
        <location filename="../app/models/run_list_model.cpp" line="94"/>
        <source>Run</source>
        <translation>运行</translation>
    </message>
    <message>
        <location filename="../app/models/run_list_model.cpp" line="95"/>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../app/models/run_list_model.cpp" line="96"/>
        <source>Launcher</source>
        <translation>启动方式</translation>
    </message>
    <message>
        <location filename="../app/models/run_list_model.cpp" line="97"/>
        <source>Hosts</source>
        <translation>主机</translation>
    </message>
    <message>
        <location filename="../app/models/run_list_model.cpp" line="98"/>
        <source>Updated</source>
        <translation>更新时间</translation>
    </message>
</context>
<context>
    <name>RunsPage</name>
    <message>
        <location filename="../app/pages/runs_page.cpp" line="43"/>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <location filename="../app/pages/runs_page.cpp" line="45"/>
        <location filename="../app/pages/runs_page.cpp" line="330"/>
        <source>Cancel run</source>
        <translation>取消运行</translation>
    </message>
    <message>
        <location filename="../app/pages/runs_page.cpp" line="48"/>
        <source>Log scale</source>
        <translation>对数坐标</translation>
    </message>
    <message>
        <location filename="../app/pages/runs_page.cpp" line="55"/>
        <source>Smoothing of the loss curve</source>
        <translation>损失曲线的平滑程度</translation>
    </message>
    <message>
        <location filename="../app/pages/runs_page.cpp" line="56"/>
        <source>Fetch checkpoints…</source>
        <translation>获取检查点…</translation>
    </message>
    <message>
        <location filename="../app/pages/runs_page.cpp" line="58"/>
        <source>Copy the followed run&apos;s checkpoints to a folder here (only what changed)</source>
        <translation>将所跟踪运行的检查点复制到本机的文件夹（仅复制有变化的部分）</translation>
    </message>
    <message>
        <location filename="../app/pages/runs_page.cpp" line="60"/>
        <source>Export checkpoint…</source>
        <translation>导出检查点…</translation>
    </message>
    <message>
        <location filename="../app/pages/runs_page.cpp" line="62"/>
        <source>Write a checkpoint here as a diffusers folder, for the Generate and Evaluate pages</source>
        <translation>在本机将检查点写为 diffusers 文件夹，供“生成”和“评估”页面使用</translation>
    </message>
    <message>
        <location filename="../app/pages/runs_page.cpp" line="68"/>
        <source>Smoothing</source>
        <translation>平滑</translation>
    </message>
    <message>
        <location filename="../app/pages/runs_page.cpp" line="85"/>
        <location filename="../app/pages/runs_page.cpp" line="156"/>
        <source>Select a run to follow it (Ctrl+click to overlay several).</source>
        <translation>选择一个运行以跟踪（按住 Ctrl 单击可叠加多个）。</translation>
    </message>
    <message>
        <location filename="../app/pages/runs_page.cpp" line="105"/>
        <source>Log</source>
        <translation>日志</translation>
    </message>
    <message>
        <location filename="../app/pages/runs_page.cpp" line="106"/>
        <source>Samples</source>
        <translation>样例图像</translation>
    </message>
    <message>
        <location filename="../app/pages/runs_page.cpp" line="141"/>
        <source>Some run records cannot be read: %1</source>
        <translation>部分运行记录无法读取：%1</translation>
    </message>
    <message>
        <location filename="../app/pages/runs_page.cpp" line="210"/>
        <source>%1: connection lost (%2); retrying</source>
        <translation>%1：连接中断（%2）；正在重试</translation>
    </message>
    <message>
        <location filename="../app/pages/runs_page.cpp" line="215"/>
        <source>Some sample images could not be fetched: %1</source>
        <translation>部分样例图像无法获取：%1</translation>
    </message>
    <message>
        <location filename="../app/pages/runs_page.cpp" line="219"/>
        <source>Fetching %1 (file %2 of %3)…</source>
        <translation>正在获取 %1（第 %2 / %3 个文件）…</translation>
    </message>
    <message>
        <location filename="../app/pages/runs_page.cpp" line="223"/>
        <source>Checkpoints in %1: %2</source>
        <translation>检查点位于 %1：%2</translation>
    </message>
    <message>
        <location filename="../app/pages/runs_page.cpp" line="224"/>
        <source>Fetching the checkpoints failed: %1</source>
        <translation>获取检查点失败：%1</translation>
    </message>
    <message>
        <location filename="../app/pages/runs_page.cpp" line="298"/>
        <source>step %1 · loss %2 · lr %3 · %4 images/s · %5 samples seen</source>
        <translation>第 %1 步 · 损失 %2 · 学习率 %3 · %4 张/秒 · 已见 %5 个样本</translation>
    </message>
    <message>
        <location filename="../app/pages/runs_page.cpp" line="322"/>
        <source>%1 — %2 on %3, %4</source>
        <translation>%1 — %2，位于 %3，%4</translation>
    </message>
    <message>
        <location filename="../app/pages/runs_page.cpp" line="330"/>
        <source>Stop every process of %1 on every host?</source>
        <translation>停止 %1 在所有主机上的所有进程吗？</translation>
    </message>
    <message>
        <location filename="../app/pages/runs_page.cpp" line="351"/>
        <source>%1 — %2</source>
        <translation>%1 — %2</translation>
    </message>
    <message>
        <location filename="../app/pages/runs_page.cpp" line="362"/>
        <source>Fetching the checkpoints of %1…</source>
        <translation>正在获取 %1 的检查点…</translation>
    </message>
    <message>
        <location filename="../app/pages/runs_page.cpp" line="370"/>
        <source>Fetch the checkpoints into</source>
        <translation>将检查点获取到</translation>
    </message>
    <message>
        <location filename="../app/pages/runs_page.cpp" line="377"/>
        <source>Exporting %1…</source>
        <translation>正在导出 %1…</translation>
    </message>
    <message>
        <location filename="../app/pages/runs_page.cpp" line="389"/>
        <source>Exported to %1: open it on the Generate page.</source>
        <translation>已导出到 %1：可在“生成”页面打开。</translation>
    </message>
    <message>
        <location filename="../app/pages/runs_page.cpp" line="390"/>
        <source>Export failed: %1</source>
        <translation>导出失败：%1</translation>
    </message>
    <message>
        <location filename="../app/pages/runs_page.cpp" line="399"/>
        <source>Choose a checkpoint (checkpoints/step-N)</source>
        <translation>选择检查点（checkpoints/step-N）</translation>
    </message>
    <message>
        <location filename="../app/pages/runs_page.cpp" line="401"/>
        <source>Export into (an empty or new folder)</source>
        <translation>导出到（空文件夹或新文件夹）</translation>
    </message>
    <message>
        <location filename="../app/pages/runs_page.cpp" line="406"/>
        <source>Diffusers folder with the VAE, text encoder and tokenizer (Cancel: the run config&apos;s)</source>
        <translation>包含 VAE、文本编码器和分词器的 diffusers 文件夹（取消：使用运行配置中的）</translation>
    </message>
</context>
<context>
    <name>ShardUpload</name>
    <message>
        <location filename="../app/widgets/shard_upload.cpp" line="25"/>
        <source>[user@]host[:port] or an alias from ~/.ssh/config</source>
        <translation>[用户@]主机[:端口] 或 ~/.ssh/config 中的别名</translation>
    </message>
    <message>
        <location filename="../app/widgets/shard_upload.cpp" line="28"/>
        <source>the folder there (absolute, or relative to the login folder)</source>
        <translation>主机上的文件夹（绝对路径，或相对于登录文件夹）</translation>
    </message>
    <message>
        <location filename="../app/widgets/shard_upload.cpp" line="29"/>
        <source>Upload to &amp;host:</source>
        <translation>上传到主机(&amp;H)：</translation>
    </message>
    <message>
        <location filename="../app/widgets/shard_upload.cpp" line="30"/>
        <source>Folder &amp;there:</source>
        <translation>主机上的文件夹(&amp;T)：</translation>
    </message>
    <message>
        <location filename="../app/widgets/shard_upload.cpp" line="33"/>
        <source>Upload shards</source>
        <translation>上传分片</translation>
    </message>
    <message>
        <location filename="../app/widgets/shard_upload.cpp" line="35"/>
        <source>Send the shard folder to the host; files already there unchanged are skipped.</source>
        <translation>将分片文件夹发送到主机；主机上已有且未改变的文件会被跳过。</translation>
    </message>
    <message>
        <location filename="../app/widgets/shard_upload.cpp" line="36"/>
        <source>Cancel upload</source>
        <translation>取消上传</translation>
    </message>
    <message>
        <location filename="../app/widgets/shard_upload.cpp" line="79"/>
        <source>Write the shards first: %1 holds no index.json.</source>
        <translation>请先写出分片：%1 中没有 index.json。</translation>
    </message>
    <message>
        <location filename="../app/widgets/shard_upload.cpp" line="83"/>
        <source>Name the host and the folder there.</source>
        <translation>请填写主机和主机上的文件夹。</translation>
    </message>
    <message>
        <location filename="../app/widgets/shard_upload.cpp" line="93"/>
        <source>Connecting to %1…</source>
        <translation>正在连接 %1…</translation>
    </message>
    <message>
        <location filename="../app/widgets/shard_upload.cpp" line="112"/>
        <source>Uploading %1 (file %2 of %3)…</source>
        <translation>正在上传 %1（第 %2 / %3 个文件）…</translation>
    </message>
    <message>
        <location filename="../app/widgets/shard_upload.cpp" line="116"/>
        <source>Upload cancelled: the files sent so far stay there; uploading again sends the rest.</source>
        <translation>上传已取消：已发送的文件保留在主机上；再次上传会发送其余文件。</translation>
    </message>
    <message>
        <location filename="../app/widgets/shard_upload.cpp" line="119"/>
        <source>Uploaded to %1:%2 — %3 file(s) sent (%4), %5 already there.</source>
        <translation>已上传到 %1:%2 — 发送了 %3 个文件（%4），%5 个已存在。</translation>
    </message>
</context>
<context>
    <name>SshPrompts</name>
    <message>
        <location filename="../app/dialogs/ssh_prompts.cpp" line="21"/>
        <source>Unknown host key</source>
        <translation>未知的主机密钥</translation>
    </message>
    <message>
        <location filename="../app/dialogs/ssh_prompts.cpp" line="22"/>
        <source>The host presents a key that is not in %1:

%2 %3

Trust it and add it to known_hosts? Compare the fingerprint with the one your administrator gave you.</source>
        <translation>该主机提供的密钥不在 %1 中：

%2 %3

信任它并添加到 known_hosts 吗？请将指纹与管理员提供的指纹进行比对。</translation>
    </message>
    <message>
        <location filename="../app/dialogs/ssh_prompts.cpp" line="33"/>
        <source>Key passphrase</source>
        <translation>密钥口令</translation>
    </message>
</context>
<context>
    <name>TrainPage</name>
    <message>
        <location filename="../app/pages/train_page.cpp" line="56"/>
        <source> steps</source>
        <translation> 步</translation>
    </message>
    <message>
        <location filename="../app/pages/train_page.cpp" line="89"/>
        <source>Cost and time</source>
        <translation>费用和时间</translation>
    </message>
    <message>
        <location filename="../app/pages/train_page.cpp" line="94"/>
        <source>Engine check</source>
        <translation>引擎检查</translation>
    </message>
    <message>
        <location filename="../app/pages/train_page.cpp" line="96"/>
        <location filename="../app/pages/train_page.cpp" line="434"/>
        <source>Check asks the engine whether it can train this config (Ctrl+K).</source>
        <translation>“检查”会询问引擎能否训练此配置（Ctrl+K）。</translation>
    </message>
    <message>
        <location filename="../app/pages/train_page.cpp" line="102"/>
        <source>Check</source>
        <translation>检查</translation>
    </message>
    <message>
        <location filename="../app/pages/train_page.cpp" line="104"/>
        <source>Have the engine read the config and build its UNet (Ctrl+K).</source>
        <translation>让引擎读取配置并构建其 UNet（Ctrl+K）。</translation>
    </message>
    <message>
        <location filename="../app/pages/train_page.cpp" line="105"/>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <location filename="../app/pages/train_page.cpp" line="107"/>
        <source>Save the config (Ctrl+S; Save as: Ctrl+Shift+S).</source>
        <translation>保存配置（Ctrl+S；另存为：Ctrl+Shift+S）。</translation>
    </message>
    <message>
        <location filename="../app/pages/train_page.cpp" line="108"/>
        <source>Launch…</source>
        <translation>启动…</translation>
    </message>
    <message>
        <location filename="../app/pages/train_page.cpp" line="110"/>
        <source>Save and launch the run here, on SSH hosts or through Slurm (Ctrl+Return).</source>
        <translation>保存并在本机、SSH 主机或通过 Slurm 启动运行（Ctrl+Return）。</translation>
    </message>
    <message>
        <location filename="../app/pages/train_page.cpp" line="170"/>
        <source>Configuration</source>
        <translation>配置</translation>
    </message>
    <message>
        <location filename="../app/pages/train_page.cpp" line="175"/>
        <source>Choose a preset…</source>
        <translation>选择预设…</translation>
    </message>
    <message>
        <location filename="../app/pages/train_page.cpp" line="178"/>
        <source>Start from a preset: SD2-base stage 1 (256 px), stage 2 (512 px), or a tiny demo that trains in seconds on a CPU.</source>
        <translation>从预设开始：SD2-base 第 1 阶段（256 像素）、第 2 阶段（512 像素），或在 CPU 上几秒即可训练完的小型演示。</translation>
    </message>
    <message>
        <location filename="../app/pages/train_page.cpp" line="180"/>
        <source>Open…</source>
        <translation>打开…</translation>
    </message>
    <message>
        <location filename="../app/pages/train_page.cpp" line="181"/>
        <source>Open a run config (YAML) (Ctrl+O).</source>
        <translation>打开运行配置（YAML）（Ctrl+O）。</translation>
    </message>
    <message>
        <location filename="../app/pages/train_page.cpp" line="182"/>
        <source>Save as…</source>
        <translation>另存为…</translation>
    </message>
    <message>
        <location filename="../app/pages/train_page.cpp" line="198"/>
        <source>Run</source>
        <translation>运行</translation>
    </message>
    <message>
        <location filename="../app/pages/train_page.cpp" line="202"/>
        <source>The run&apos;s name: shown on the Runs page and in the run&apos;s files.</source>
        <translation>运行的名称：显示在“运行”页面和运行的文件中。</translation>
    </message>
    <message>
        <location filename="../app/pages/train_page.cpp" line="211"/>
        <source> px</source>
        <translation> 像素</translation>
    </message>
    <message>
        <location filename="../app/pages/train_page.cpp" line="216"/>
        <source>Global batch: images per optimizer step over all GPUs (microbatch × accumulation × GPUs).</source>
        <translation>全局批大小：所有 GPU 上每个优化器步骤的图像数（微批 × 累积 × GPU 数）。</translation>
    </message>
    <message>
        <location filename="../app/pages/train_page.cpp" line="220"/>
        <source>Images per GPU per forward/backward pass; lower it when memory runs out.</source>
        <translation>每块 GPU 每次前向/反向传播的图像数；内存不足时请调低。</translation>
    </message>
    <message>
        <location filename="../app/pages/train_page.cpp" line="223"/>
        <source>Optimizer steps (max_duration); the reference: 550,000 at 256 px, then 850,000 at 512 px.</source>
        <translation>优化器步数（max_duration）；参考：256 像素 550,000 步，然后 512 像素 850,000 步。</translation>
    </message>
    <message>
        <location filename="../app/pages/train_page.cpp" line="224"/>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location filename="../app/pages/train_page.cpp" line="226"/>
        <source>Seed</source>
        <translation>种子</translation>
    </message>
    <message>
        <location filename="../app/pages/train_page.cpp" line="227"/>
        <source>Image size</source>
        <translation>图像尺寸</translation>
    </message>
    <message>
        <location filename="../app/pages/train_page.cpp" line="229"/>
        <source>Global batch</source>
        <translation>全局批大小</translation>
    </message>
    <message>
        <location filename="../app/pages/train_page.cpp" line="230"/>
        <source>Microbatch per GPU</source>
        <translation>每 GPU 微批大小</translation>
    </message>
    <message>
        <location filename="../app/pages/train_page.cpp" line="232"/>
        <source>Steps</source>
        <translation>步数</translation>
    </message>
    <message>
        <location filename="../app/pages/train_page.cpp" line="234"/>
        <source>Optimizer</source>
        <translation>优化器</translation>
    </message>
    <message>
        <location filename="../app/pages/train_page.cpp" line="238"/>
        <source>AdamW learning rate, e.g. 1e-4.</source>
        <translation>AdamW 学习率，例如 1e-4。</translation>
    </message>
    <message>
        <location filename="../app/pages/train_page.cpp" line="246"/>
        <source>Learning rate</source>
        <translation>学习率</translation>
    </message>
    <message>
        <location filename="../app/pages/train_page.cpp" line="248"/>
        <source>Weight decay</source>
        <translation>权重衰减</translation>
    </message>
    <message>
        <location filename="../app/pages/train_page.cpp" line="250"/>
        <source>Schedule</source>
        <translation>学习率调度</translation>
    </message>
    <message>
        <location filename="../app/pages/train_page.cpp" line="251"/>
        <source>Warm-up</source>
        <translation>预热</translation>
    </message>
    <message>
        <location filename="../app/pages/train_page.cpp" line="254"/>
        <source>EMA of the weights</source>
        <translation>权重的 EMA</translation>
    </message>
    <message>
        <location filename="../app/pages/train_page.cpp" line="261"/>
        <source>The first step that updates the EMA (the reference: 800,000, the last 50k of stage 2).</source>
        <translation>开始更新 EMA 的第一步（参考：800,000，即第 2 阶段的最后 50k 步）。</translation>
    </message>
    <message>
        <location filename="../app/pages/train_page.cpp" line="263"/>
        <source>Smoothing</source>
        <translation>平滑系数</translation>
    </message>
    <message>
        <location filename="../app/pages/train_page.cpp" line="264"/>
        <source>Start</source>
        <translation>起始步</translation>
    </message>
    <message>
        <location filename="../app/pages/train_page.cpp" line="267"/>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <location filename="../app/pages/train_page.cpp" line="271"/>
        <source>amp_bf16 and amp_fp16 need CUDA; fp32 works everywhere.</source>
        <translation>amp_bf16 和 amp_fp16 需要 CUDA；fp32 在任何地方都可用。</translation>
    </message>
    <message>
        <location filename="../app/pages/train_page.cpp" line="278"/>
        <location filename="../app/pages/train_page.cpp" line="304"/>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <location filename="../app/pages/train_page.cpp" line="285"/>
        <source>Prediction</source>
        <translation>预测目标</translation>
    </message>
    <message>
        <location filename="../app/pages/train_page.cpp" line="286"/>
        <source>Precision</source>
        <translation>精度</translation>
    </message>
    <message>
        <location filename="../app/pages/train_page.cpp" line="287"/>
        <source>Device</source>
        <translation>设备</translation>
    </message>
    <message>
        <location filename="../app/pages/train_page.cpp" line="288"/>
        <source>Start from</source>
        <translation>起始权重</translation>
    </message>
    <message>
        <location filename="../app/pages/train_page.cpp" line="288"/>
        <source>Nothing: train from scratch</source>
        <translation>无：从头训练</translation>
    </message>
    <message>
        <location filename="../app/pages/train_page.cpp" line="289"/>
        <source>Choose weights to start from</source>
        <translation>选择起始权重</translation>
    </message>
    <message>
        <location filename="../app/pages/train_page.cpp" line="290"/>
        <source>VAE and text encoder</source>
        <translation>VAE 和文本编码器</translation>
    </message>
    <message>
        <location filename="../app/pages/train_page.cpp" line="291"/>
        <source>A diffusers folder (vae/, text_encoder/, tokenizer/)</source>
        <translation>diffusers 文件夹（vae/、text_encoder/、tokenizer/）</translation>
    </message>
    <message>
        <location filename="../app/pages/train_page.cpp" line="292"/>
        <source>Choose the diffusers folder with the VAE and text encoder</source>
        <translation>选择含 VAE 和文本编码器的 diffusers 文件夹</translation>
    </message>
    <message>
        <location filename="../app/pages/train_page.cpp" line="294"/>
        <source>Data</source>
        <translation>数据</translation>
    </message>
    <message>
        <location filename="../app/pages/train_page.cpp" line="298"/>
        <source>mds_latents: latent shards (MDS); latents_safetensors: one .safetensors file; synthetic_latents: random data for smoke tests.</source>
        <translation>mds_latents：潜变量分片（MDS）；latents_safetensors：单个 .safetensors 文件；synthetic_latents：用于冒烟测试的随机数据。</translation>
    </message>
    <message>
        <location filename="../app/pages/train_page.cpp" line="303"/>
        <source>The shards folder or file, as the training machines see it</source>
        <translation>分片文件夹或文件，以训练机器上看到的路径为准</translation>
    </message>
    <message>
        <location filename="../app/pages/train_page.cpp" line="305"/>
        <source>Choose the dataset</source>
        <translation>选择数据集</translation>
    </message>
    <message>
        <location filename="../app/pages/train_page.cpp" line="309"/>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <location filename="../app/pages/train_page.cpp" line="310"/>
        <source>Path</source>
        <translation>路径</translation>
    </message>
    <message>
        <location filename="../app/pages/train_page.cpp" line="313"/>
        <source>Checkpoints</source>
        <translation>检查点</translation>
    </message>
    <message>
        <location filename="../app/pages/train_page.cpp" line="316"/>
        <source>Only at the end</source>
        <translation>仅在结束时</translation>
    </message>
    <message>
        <location filename="../app/pages/train_page.cpp" line="320"/>
        <source>Save every</source>
        <translation>每隔多少步保存</translation>
    </message>
    <message>
        <location filename="../app/pages/train_page.cpp" line="321"/>
        <source>Keep the last</source>
        <translation>保留最近</translation>
    </message>
    <message>
        <location filename="../app/pages/train_page.cpp" line="444"/>
        <source>Cannot read the preset %1: %2</source>
        <translation>无法读取预设 %1：%2</translation>
    </message>
    <message>
        <location filename="../app/pages/train_page.cpp" line="461"/>
        <source>Cannot read %1: %2</source>
        <translation>无法读取 %1：%2</translation>
    </message>
    <message>
        <location filename="../app/pages/train_page.cpp" line="488"/>
        <source>Not saved: correct the fields marked in red.</source>
        <translation>未保存：请更正标红的字段。</translation>
    </message>
    <message>
        <location filename="../app/pages/train_page.cpp" line="494"/>
        <source>Cannot write %1: %2</source>
        <translation>无法写入 %1：%2</translation>
    </message>
    <message>
        <location filename="../app/pages/train_page.cpp" line="517"/>
        <source>Save the run config</source>
        <translation>保存运行配置</translation>
    </message>
    <message>
        <location filename="../app/pages/train_page.cpp" line="517"/>
        <location filename="../app/pages/train_page.cpp" line="525"/>
        <source>Run configs (*.yaml *.yml)</source>
        <translation>运行配置 (*.yaml *.yml)</translation>
    </message>
    <message>
        <location filename="../app/pages/train_page.cpp" line="525"/>
        <source>Open a run config</source>
        <translation>打开运行配置</translation>
    </message>
    <message>
        <location filename="../app/pages/train_page.cpp" line="533"/>
        <source>Discard the changes?</source>
        <translation>放弃更改？</translation>
    </message>
    <message>
        <location filename="../app/pages/train_page.cpp" line="534"/>
        <source>The config has unsaved changes. Load the preset %1 instead?</source>
        <translation>配置有未保存的更改。改为加载预设 %1 吗？</translation>
    </message>
    <message>
        <location filename="../app/pages/train_page.cpp" line="557"/>
        <source>Preset %1, not saved yet</source>
        <translation>预设 %1，尚未保存</translation>
    </message>
    <message>
        <location filename="../app/pages/train_page.cpp" line="559"/>
        <source>%1 (modified)</source>
        <translation>%1（已修改）</translation>
    </message>
    <message>
        <location filename="../app/pages/train_page.cpp" line="577"/>
        <source>Give the run a name.</source>
        <translation>请为运行命名。</translation>
    </message>
    <message>
        <location filename="../app/pages/train_page.cpp" line="579"/>
        <source>The image size must be a multiple of 8 (the VAE&apos;s factor): try %1.</source>
        <translation>图像尺寸必须是 8 的倍数（VAE 的缩放因子）：试试 %1。</translation>
    </message>
    <message>
        <location filename="../app/pages/train_page.cpp" line="583"/>
        <source>The global batch (%1) must be a multiple of the microbatch (%2): the difference is made up by accumulation and GPUs.</source>
        <translation>全局批大小（%1）必须是微批大小（%2）的倍数：差额由梯度累积和 GPU 数补足。</translation>
    </message>
    <message>
        <location filename="../app/pages/train_page.cpp" line="589"/>
        <source>Enter the learning rate as a number, e.g. 1e-4.</source>
        <translation>请以数字形式输入学习率，例如 1e-4。</translation>
    </message>
    <message>
        <location filename="../app/pages/train_page.cpp" line="590"/>
        <source>The learning rate must be above 0 and at most 10.</source>
        <translation>学习率必须大于 0 且不超过 10。</translation>
    </message>
    <message>
        <location filename="../app/pages/train_page.cpp" line="594"/>
        <source>The weight decay must be a number from 0 to 10, e.g. 0.01.</source>
        <translation>权重衰减必须是 0 到 10 之间的数字，例如 0.01。</translation>
    </message>
    <message>
        <location filename="../app/pages/train_page.cpp" line="597"/>
        <source>The warm-up (%1 steps) is longer than the run (%2 steps).</source>
        <translation>预热（%1 步）比整个运行（%2 步）还长。</translation>
    </message>
    <message>
        <location filename="../app/pages/train_page.cpp" line="603"/>
        <source>The smoothing must be a number from 0 to 1, e.g. 0.9999.</source>
        <translation>平滑系数必须是 0 到 1 之间的数字，例如 0.9999。</translation>
    </message>
    <message>
        <location filename="../app/pages/train_page.cpp" line="605"/>
        <source>The EMA starts at step %1, after the run&apos;s last step (%2): it would never be updated.</source>
        <translation>EMA 从第 %1 步开始，在运行最后一步（%2）之后：它永远不会被更新。</translation>
    </message>
    <message>
        <location filename="../app/pages/train_page.cpp" line="612"/>
        <source>Enter where the data is (as the training machines see it), or choose synthetic_latents.</source>
        <translation>请输入数据的位置（以训练机器上看到的路径为准），或选择 synthetic_latents。</translation>
    </message>
    <message>
        <location filename="../app/pages/train_page.cpp" line="630"/>
        <source>Correct the fields marked in red first.</source>
        <translation>请先更正标红的字段。</translation>
    </message>
    <message>
        <location filename="../app/pages/train_page.cpp" line="637"/>
        <source>Cannot write a temporary copy of the config: %1</source>
        <translation>无法写入配置的临时副本：%1</translation>
    </message>
    <message>
        <location filename="../app/pages/train_page.cpp" line="652"/>
        <source>The engine accepts the config: %1.</source>
        <translation>引擎接受此配置：%1。</translation>
    </message>
    <message>
        <location filename="../app/pages/train_page.cpp" line="654"/>
        <source>The engine refuses the config: %1</source>
        <translation>引擎拒绝此配置：%1</translation>
    </message>
    <message>
        <location filename="../app/pages/train_page.cpp" line="660"/>
        <source>Checking (the engine builds the UNet; a large one takes a few seconds)…</source>
        <translation>正在检查（引擎会构建 UNet；大型模型需要几秒钟）…</translation>
    </message>
    <message>
        <location filename="../app/pages/train_page.cpp" line="670"/>
        <source>Nothing launched: correct the fields marked in red.</source>
        <translation>未启动：请更正标红的字段。</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <location filename="../app/main.cpp" line="37"/>
        <source>Train and run your own image models.</source>
        <translation>训练并运行你自己的图像模型。</translation>
    </message>
    <message>
        <location filename="../app/main.cpp" line="41"/>
        <source>Show the main window, then quit (for start-up checks).</source>
        <translation>显示主窗口后退出（用于启动检查）。</translation>
    </message>
    <message>
        <location filename="../app/main.cpp" line="42"/>
        <source>CPU threads for local generation (default: all cores).</source>
        <translation>本地生成使用的 CPU 线程数（默认：所有核心）。</translation>
    </message>
    <message>
        <location filename="../app/main.cpp" line="45"/>
        <source>With --smoke-test: save a PNG of the main window to FILE before quitting.</source>
        <translation>与 --smoke-test 一起使用：退出前将主窗口保存为 PNG 文件 FILE。</translation>
    </message>
    <message>
        <location filename="../app/main.cpp" line="49"/>
        <source>Save a PNG of every page into DIR (datasets.png, train.png, …), then quit.</source>
        <translation>将每个页面的 PNG 保存到 DIR（datasets.png、train.png 等），然后退出。</translation>
    </message>
    <message>
        <location filename="../app/main.cpp" line="52"/>
        <source>Interface language for this start: en, de or zh_CN (default: the setting).</source>
        <translation>本次启动的界面语言：en、de 或 zh_CN（默认：按设置）。</translation>
    </message>
</context>
</TS>
