[playlist]
NumberOfEntries=3
File1=https://lists.example.org/stations/nova.pls
Title1=Radio Nova (list)
Length1=-1
File2=https://lists.example.org/more/hls.m3u8
Title2=HLS Station
Length2=-1
File3=http://ice.example.org:8000/classic.ogg
Title3=Classic Ice
Length3=-1
Version=2
